namespace EntitlementPortal.Cli.Client.Models;

/// <summary>Every list route answers <c>{ "items": [...], "total": N }</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);
