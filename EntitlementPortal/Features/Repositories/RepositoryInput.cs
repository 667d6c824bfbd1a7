namespace EntitlementPortal.Features.Repositories;

/// <summary>What a person or the API sends to create or change a repository (the form binds to it too).</summary>
public sealed class RepositoryInput
{
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The licence agreement (EULA) shown on customers' download pages; tokens with eulaRequired wait for it.</summary>
    public string? Eula { get; set; }

    public RepositoryVisibility Visibility { get; set; } = RepositoryVisibility.Private;
    public bool UserTokensEnabled { get; set; } = true;

    public RepositoryInput Copy() => (RepositoryInput)MemberwiseClone();
}

public sealed record RepositorySummary(
    int Id,
    string Slug,
    string Name,
    string? Description,
    RepositoryVisibility Visibility,
    bool UserTokensEnabled,
    int PackageCount,
    int ActiveTokenCount,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public string? Eula { get; init; }

    public RepositoryInput ToInput() => new()
    {
        Slug = Slug,
        Name = Name,
        Description = Description,
        Eula = Eula,
        Visibility = Visibility,
        UserTokensEnabled = UserTokensEnabled,
    };
}
