using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Packages;

internal sealed class PackageConfiguration : IEntityTypeConfiguration<Package>
{
    public void Configure(EntityTypeBuilder<Package> package)
    {
        package.ToTable("Packages");
        package.Property(p => p.Name).HasMaxLength(PackageRules.NameMaxLength);
        package.Property(p => p.Version).HasMaxLength(PackageRules.VersionMaxLength);
        package.Property(p => p.Tags).HasMaxLength(PackageRules.TagsColumnLength);
        package.Property(p => p.Format).HasMaxLength(16);
        package.Property(p => p.UploadedByName).HasMaxLength(256);

        package.HasIndex(p => new { p.RepositoryId, p.Name, p.Version }).IsUnique();
        package.HasIndex(p => p.UploadedAt);

        package.HasOne(p => p.Repository).WithMany().HasForeignKey(p => p.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        // SetNull, not Cascade: removing an account must not delete what customers download; the name stays.
        package.HasOne(p => p.UploadedBy).WithMany().HasForeignKey(p => p.UploadedById).OnDelete(DeleteBehavior.SetNull);
        package.HasMany(p => p.Files).WithOne(f => f.Package).HasForeignKey(f => f.PackageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PackageFileConfiguration : IEntityTypeConfiguration<PackageFile>
{
    public void Configure(EntityTypeBuilder<PackageFile> file)
    {
        file.ToTable("PackageFiles");
        file.Property(f => f.Filename).HasMaxLength(PackageFilename.MaxLength);
        file.Property(f => f.Sha256).HasMaxLength(64).IsFixedLength();
        file.Property(f => f.ContentType).HasMaxLength(PackageRules.ContentTypeMaxLength);
        file.HasIndex(f => new { f.PackageId, f.Filename }).IsUnique();
        // Deleting a blob asks whether any other file still points at it.
        file.HasIndex(f => f.Sha256);
    }
}
