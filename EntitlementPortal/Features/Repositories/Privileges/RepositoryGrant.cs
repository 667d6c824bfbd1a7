using EntitlementPortal.Features.Teams;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Features.Repositories.Privileges;

/// <summary>Per-repository privileges, each including the ones before it.</summary>
public enum RepositoryPrivilege
{
    Read = 1,
    Write = 2,
    Admin = 3,
}

/// <summary>
/// A direct grant of a privilege on one repository to exactly one user or one team (never both; a check
/// constraint holds the database to that).
/// </summary>
public sealed class RepositoryGrant
{
    public int Id { get; set; }
    public int RepositoryId { get; set; }
    public Repository? Repository { get; set; }
    public string? UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public int? TeamId { get; set; }
    public Team? Team { get; set; }
    public RepositoryPrivilege Privilege { get; set; }
    public DateTime GrantedAt { get; set; }
    public string? GrantedBy { get; set; }
}
