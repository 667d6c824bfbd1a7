namespace EntitlementPortal.Cli.Client.Models;

public sealed record RepositoryView(
    int Id, string Slug, string Name, string? Description, string Visibility,
    int PackageCount, int ActiveTokenCount, DateTime CreatedAt, DateTime UpdatedAt, string? Eula = null);

public sealed record RepositoryCreateRequest(string Slug, string Name, string? Description, string? Visibility, string? Eula = null);

public sealed record RepositoryUpdateRequest(string? Name, string? Description, string? Visibility, string? Eula = null);
