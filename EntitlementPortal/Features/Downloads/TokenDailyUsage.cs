using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// A token's counted downloads and bytes served on one UTC day, kept by <see cref="DownloadEventStore"/> in the same
/// transaction as the events it sums, so the two never disagree. Daily figures read it instead of the events, which
/// lets retention delete old events later without changing the totals. No foreign key: like the events, it
/// outlives the token.
/// </summary>
public sealed class TokenDailyUsage : IDailyRollup
{
    public int TokenId { get; set; }

    /// <summary>
    /// The customer the day's first stored download named (as the events do: who owned the token then), so customer
    /// figures and the dashboard's top customers sum a narrow index instead of joining every row to its token.
    /// </summary>
    public int? CustomerId { get; set; }

    /// <summary>Midnight UTC of the day.</summary>
    public DateTime Day { get; set; }

    public long Downloads { get; set; }
    public long Bytes { get; set; }

    /// <summary>What an event adds to its day: a counted download, and the bytes of a served file answer.</summary>
    public static (long Downloads, long Bytes) Of(DownloadEvent e) =>
        (e.Counted ? 1 : 0, e.Status < 400 && e.Filename != null ? e.Bytes : 0);
}

internal sealed class TokenDailyUsageConfiguration : IEntityTypeConfiguration<TokenDailyUsage>
{
    public void Configure(EntityTypeBuilder<TokenDailyUsage> usage)
    {
        usage.ToTable("TokenDailyUsage");
        usage.HasKey(u => new { u.TokenId, u.Day });
        usage.HasIndex(u => u.Day);
        // Covering: a customer's days, and every customer's sums over a window, are read from the index alone.
        usage.HasIndex(u => new { u.CustomerId, u.Day, u.Downloads, u.Bytes });
        // Covering, for repository metrics: each of a repository's tokens sums its days from the index alone. The key's
        // own index holds (TokenId, Day) but not the sums, so each of 240,000 token-days was a table lookup.
        usage.HasIndex(u => new { u.TokenId, u.Day, u.Downloads, u.Bytes });
    }
}
