using EntitlementPortal.Identity;

namespace EntitlementPortal.Features.Teams;

/// <summary>A named group of users; a repository privilege granted to a team applies to each of its members.</summary>
public sealed class Team
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<TeamMember> Members { get; set; } = [];
}

/// <summary>One user's membership of one team.</summary>
public sealed class TeamMember
{
    public int TeamId { get; set; }
    public Team? Team { get; set; }
    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public DateTime AddedAt { get; set; }
}
