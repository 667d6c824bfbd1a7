using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Teams;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> team)
    {
        team.ToTable("Teams");
        team.Property(t => t.Slug).HasMaxLength(TeamRules.SlugMaxLength);
        team.HasIndex(t => t.Slug).IsUnique();
        team.Property(t => t.Name).HasMaxLength(TeamRules.NameMaxLength);
        team.HasMany(t => t.Members).WithOne(m => m.Team).HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> member)
    {
        member.ToTable("TeamMembers");
        member.HasKey(m => new { m.TeamId, m.UserId });
        // The effective-privilege query starts from the user: "which teams is this user in?"
        member.HasIndex(m => m.UserId);
        // Deleting a user ends their memberships. One cascade path from each of Teams and AspNetUsers,
        // which SQL Server accepts (it refuses only several paths from one table).
        member.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
