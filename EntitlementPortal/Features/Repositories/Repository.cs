namespace EntitlementPortal.Features.Repositories;

public enum RepositoryVisibility
{
    Private,
    Public,
}

/// <summary>A package repository. Private ones are reached with entitlement tokens; public ones by anyone.</summary>
public sealed class Repository
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>The licence agreement customers accept on their download page when a token requires it.</summary>
    public string? Eula { get; set; }
    public RepositoryVisibility Visibility { get; set; } = RepositoryVisibility.Private;
    public bool UserTokensEnabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
