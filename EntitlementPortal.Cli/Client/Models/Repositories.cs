namespace EntitlementPortal.Cli.Client.Models;

public sealed record RepositoryView(
    int Id, string Slug, string Name, string? Description, string Visibility,
    int PackageCount, int ActiveTokenCount, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record RepositoryCreateRequest(string Slug, string Name, string? Description, string? Visibility);

public sealed record RepositoryUpdateRequest(string? Name, string? Description, string? Visibility);
