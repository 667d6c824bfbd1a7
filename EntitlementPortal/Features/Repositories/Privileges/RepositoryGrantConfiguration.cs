using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Repositories.Privileges;

internal sealed class RepositoryGrantConfiguration : IEntityTypeConfiguration<RepositoryGrant>
{
    public void Configure(EntityTypeBuilder<RepositoryGrant> grant)
    {
        grant.ToTable("RepositoryGrants", table => table.HasCheckConstraint(
            "CK_RepositoryGrants_UserOrTeam",
            "(UserId IS NOT NULL AND TeamId IS NULL) OR (UserId IS NULL AND TeamId IS NOT NULL)"));
        grant.Property(g => g.Privilege).HasConversion<string>().HasMaxLength(16);
        grant.Property(g => g.GrantedBy).HasMaxLength(256);

        // One grant per user (or team) per repository; a change replaces the privilege in place. On SQL Server
        // EF filters these unique indexes to non-NULL keys, so the many team rows don't collide on UserId NULL.
        grant.HasIndex(g => new { g.RepositoryId, g.UserId }).IsUnique();
        grant.HasIndex(g => new { g.RepositoryId, g.TeamId }).IsUnique();
        grant.HasIndex(g => g.UserId);
        grant.HasIndex(g => g.TeamId);

        // Each parent reaches the grants by exactly one cascade path, which SQL Server allows: deleting a
        // repository, a user or a team removes their grants with them.
        grant.HasOne(g => g.Repository).WithMany().HasForeignKey(g => g.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        grant.HasOne(g => g.User).WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        grant.HasOne(g => g.Team).WithMany().HasForeignKey(g => g.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}
