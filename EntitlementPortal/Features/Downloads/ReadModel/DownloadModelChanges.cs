using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>
/// The one list of what the download decision reads, and the bump of <see cref="DownloadModelVersion"/> every
/// change to it makes. Tracked changes are bumped by <see cref="AppDbContext"/>'s SaveChanges; a bulk
/// ExecuteUpdate/ExecuteDelete of these facts must call <see cref="BumpAsync"/> in its own transaction.
/// </summary>
public static class DownloadModelChanges
{
    /// <summary>How a change to one entity type affects the read model.</summary>
    /// <param name="Ignored">Properties the decision never reads from the cache.</param>
    /// <param name="OnlyDeletion">Only removing a row matters (its dependants go with it in the database).</param>
    public sealed record Relevance(IReadOnlySet<string> Ignored, bool OnlyDeletion = false);

    /// <summary>
    /// The usage counters: the ledger moves them on every counted download, so they must never bump the version
    /// (every download would empty every instance's cache), and the read model never caches them.
    /// </summary>
    public static IReadOnlySet<string> TokenUsageCounters { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(EntitlementToken.Downloads),
        nameof(EntitlementToken.Clients),
        nameof(EntitlementToken.BandwidthBytes),
        nameof(EntitlementToken.LastDownloadAt),
        nameof(EntitlementToken.LastClientIp),
    };

    public static IReadOnlyDictionary<Type, Relevance> Relevant { get; } = new Dictionary<Type, Relevance>
    {
        [typeof(Repository)] = new(new HashSet<string>()),
        [typeof(EntitlementToken)] = new(TokenUsageCounters),
        [typeof(Customer)] = new(new HashSet<string>()),
        [typeof(Package)] = new(new HashSet<string>()),
        [typeof(PackageFile)] = new(new HashSet<string>()),
        // A user's access and lockout are read from the database on every request (DownloadAccess), so only the
        // account's removal matters: the database deletes its user tokens with it.
        [typeof(ApplicationUser)] = new(new HashSet<string>(), OnlyDeletion: true),
    };

    /// <summary>Whether saving <paramref name="entry"/> changes what a download decision reads.</summary>
    public static bool Touches(EntityEntry entry)
    {
        if (!Relevant.TryGetValue(entry.Metadata.ClrType, out var relevance))
        {
            return false;
        }
        return entry.State switch
        {
            EntityState.Deleted => true,
            EntityState.Added => !relevance.OnlyDeletion,
            EntityState.Modified => !relevance.OnlyDeletion
                && entry.Properties.Any(p => p.IsModified && !relevance.Ignored.Contains(p.Metadata.Name)),
            _ => false,
        };
    }

    /// <summary>Must run inside the transaction of the change: the version moves exactly when the change commits.</summary>
    public static Task BumpAsync(AppDbContext db, CancellationToken cancellationToken) =>
        Versions(db).ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1), cancellationToken);

    /// <inheritdoc cref="BumpAsync"/>
    public static void Bump(AppDbContext db) =>
        Versions(db).ExecuteUpdate(s => s.SetProperty(v => v.Version, v => v.Version + 1));

    // A row UPDATE, not a read-then-write: concurrent changers queue on the row lock and commit versions in order.
    private static IQueryable<DownloadModelVersion> Versions(AppDbContext db) =>
        db.Set<DownloadModelVersion>().Where(v => v.Id == DownloadModelVersion.RowId);
}
