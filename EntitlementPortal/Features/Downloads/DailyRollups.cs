using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Downloads;

/// <summary>A per-day rollup row: <see cref="Day"/> is midnight UTC, so whole days of a period read it by range.</summary>
public interface IDailyRollup
{
    DateTime Day { get; }
}

/// <summary>
/// Refused attempts (status 400 and up) of one UTC day, per token, customer, status and reason, kept by
/// <see cref="DownloadEventStore"/> in the same transaction as the events, so refusals by reason stay whole after
/// retention deleted the events and are read from a narrow index instead of every refused event. Every part of the
/// key is non-null so the key is unique on every provider: <see cref="DailyRollups.None"/> stands for an event
/// without token or customer, and an empty reason for one stored without a reason. No foreign keys: like the
/// events, it outlives tokens and customers.
/// </summary>
public sealed class TokenDailyRefusal : IDailyRollup
{
    public int TokenId { get; set; }
    public DateTime Day { get; set; }

    /// <summary>The customer the events named (who owned the token then), <see cref="DailyRollups.None"/> for none.</summary>
    public int CustomerId { get; set; }

    public int Status { get; set; }
    public required string Reason { get; set; }

    /// <summary>Attempts, as the events count them: a flood summary adds every attempt it stands for.</summary>
    public long Attempts { get; set; }
}

/// <summary>
/// Counted downloads of one UTC day per token, customer, package and version (the top packages), written with the
/// events like <see cref="TokenDailyRefusal"/>; an empty package or version stands for none.
/// </summary>
public sealed class TokenDailyPackageDownload : IDailyRollup
{
    public int TokenId { get; set; }
    public DateTime Day { get; set; }
    public int CustomerId { get; set; }
    public required string Package { get; set; }
    public required string Version { get; set; }
    public long Downloads { get; set; }
}

/// <summary>The keys of the per-day rollups and how a batch of events adds to them, for the live store and the demo seed.</summary>
public static class DailyRollups
{
    /// <summary>The token or customer id of an event that names none (ids start at 1).</summary>
    public const int None = 0;

    public readonly record struct RefusalKey(int TokenId, DateTime Day, int CustomerId, int Status, string Reason);

    public readonly record struct PackageKey(int TokenId, DateTime Day, int CustomerId, string Package, string Version);

    /// <summary>Whether an event is a refusal as the dashboard and the download log count them: any status from 400.</summary>
    public static bool IsRefusal(DownloadEvent e) => e.Status >= 400;

    public static RefusalKey RefusalKeyOf(DownloadEvent e) =>
        new(e.TokenId ?? None, e.At.Date, e.CustomerId ?? None, e.Status, e.Reason ?? "");

    public static PackageKey PackageKeyOf(DownloadEvent e) =>
        new(e.TokenId ?? None, e.At.Date, e.CustomerId ?? None, e.Package ?? "", e.Version ?? "");

    /// <summary>The stored form back to the events' form: an empty text was a null one.</summary>
    public static string? OrNull(string text) => text.Length == 0 ? null : text;

    /// <summary>What the batch adds to each refusal row. Read before a flood summary is stored: that changes the row's attempts.</summary>
    public static Dictionary<RefusalKey, long> RefusalsOf(IEnumerable<DownloadEvent> events) =>
        events.Where(IsRefusal).GroupBy(RefusalKeyOf).ToDictionary(g => g.Key, g => g.Sum(e => (long)e.Attempts));

    public static Dictionary<PackageKey, long> PackagesOf(IEnumerable<DownloadEvent> events) =>
        events.Where(e => e.Counted).GroupBy(PackageKeyOf).ToDictionary(g => g.Key, g => g.LongCount());

    /// <summary>Adds the counts to the rollups through <paramref name="db"/>, inside the caller's transaction.</summary>
    public static async Task AddAsync(AppDbContext db, Dictionary<RefusalKey, long> refusals, Dictionary<PackageKey, long> packages,
        CancellationToken cancellationToken)
    {
        foreach (var (key, attempts) in refusals)
        {
            await UpsertAsync(db,
                () => db.Set<TokenDailyRefusal>()
                    .Where(r => r.TokenId == key.TokenId && r.Day == key.Day && r.CustomerId == key.CustomerId && r.Status == key.Status && r.Reason == key.Reason)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, r => r.Attempts + attempts), cancellationToken),
                () => new TokenDailyRefusal
                {
                    TokenId = key.TokenId, Day = key.Day, CustomerId = key.CustomerId, Status = key.Status, Reason = key.Reason, Attempts = attempts,
                },
                cancellationToken);
        }
        foreach (var (key, downloads) in packages)
        {
            await UpsertAsync(db,
                () => db.Set<TokenDailyPackageDownload>()
                    .Where(p => p.TokenId == key.TokenId && p.Day == key.Day && p.CustomerId == key.CustomerId && p.Package == key.Package && p.Version == key.Version)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Downloads, p => p.Downloads + downloads), cancellationToken),
                () => new TokenDailyPackageDownload
                {
                    TokenId = key.TokenId, Day = key.Day, CustomerId = key.CustomerId, Package = key.Package, Version = key.Version, Downloads = downloads,
                },
                cancellationToken);
        }
    }

    /// <summary>
    /// Update, else insert; an insert that loses the race to another instance is a unique violation, and the update
    /// then finds the row. SaveChanges inside a transaction rolls back only to its own savepoint.
    /// </summary>
    internal static async Task UpsertAsync<T>(AppDbContext db, Func<Task<int>> update, Func<T> create, CancellationToken cancellationToken)
        where T : class
    {
        for (var round = 1; ; round++)
        {
            if (await update() > 0)
            {
                return;
            }
            var row = create();
            db.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex) && round < 3)
            {
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }
}

internal sealed class TokenDailyRefusalConfiguration : IEntityTypeConfiguration<TokenDailyRefusal>
{
    public void Configure(EntityTypeBuilder<TokenDailyRefusal> refusal)
    {
        refusal.ToTable("TokenDailyRefusals");
        // Token first: one token's refusals per day read the key alone.
        refusal.HasKey(r => new { r.TokenId, r.Day, r.CustomerId, r.Status, r.Reason });
        refusal.Property(r => r.Reason).HasMaxLength(64);
        // Covering, for the dashboard (every refusal of a window) and for a customer's refusals by reason.
        refusal.HasIndex(r => new { r.Day, r.Reason, r.Status, r.Attempts });
        refusal.HasIndex(r => new { r.CustomerId, r.Day, r.Status, r.Reason, r.Attempts });
    }
}

internal sealed class TokenDailyPackageDownloadConfiguration : IEntityTypeConfiguration<TokenDailyPackageDownload>
{
    public void Configure(EntityTypeBuilder<TokenDailyPackageDownload> package)
    {
        package.ToTable("TokenDailyPackageDownloads");
        package.HasKey(p => new { p.TokenId, p.Day, p.CustomerId, p.Package, p.Version });
        package.Property(p => p.Package).HasMaxLength(100);
        package.Property(p => p.Version).HasMaxLength(64);
        // Covering, for a customer's top package versions over a period.
        package.HasIndex(p => new { p.CustomerId, p.Day, p.Package, p.Version, p.Downloads });
    }
}
