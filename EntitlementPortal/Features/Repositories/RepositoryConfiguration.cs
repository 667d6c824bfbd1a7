using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Repositories;

internal sealed class RepositoryConfiguration : IEntityTypeConfiguration<Repository>
{
    public void Configure(EntityTypeBuilder<Repository> repository)
    {
        repository.ToTable("Repositories");
        repository.Property(r => r.Slug).HasMaxLength(RepositoryRules.SlugMaxLength);
        repository.HasIndex(r => r.Slug).IsUnique();
        repository.Property(r => r.Name).HasMaxLength(RepositoryRules.NameMaxLength);
        repository.Property(r => r.Description).HasMaxLength(RepositoryRules.DescriptionMaxLength);
        repository.Property(r => r.Eula).HasMaxLength(RepositoryRules.EulaMaxLength);
        repository.Property(r => r.Visibility).HasConversion<string>().HasMaxLength(16);
        repository.HasIndex(r => r.Name);
    }
}
