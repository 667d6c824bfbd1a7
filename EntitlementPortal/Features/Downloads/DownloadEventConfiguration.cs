using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Downloads;

internal sealed class DownloadEventConfiguration : IEntityTypeConfiguration<DownloadEvent>
{
    public const int UserAgentMaxLength = 512;

    public void Configure(EntityTypeBuilder<DownloadEvent> download)
    {
        download.ToTable("DownloadEvents");
        download.Property(e => e.Repo).HasMaxLength(64);
        download.Property(e => e.Package).HasMaxLength(100);
        download.Property(e => e.Version).HasMaxLength(64);
        download.Property(e => e.Filename).HasMaxLength(255);
        download.Property(e => e.UserId).HasMaxLength(450);
        download.Property(e => e.AuthMethod).HasConversion<string>().HasMaxLength(16);
        download.Property(e => e.ClientIp).HasMaxLength(64);
        download.Property(e => e.UserAgent).HasMaxLength(UserAgentMaxLength);
        download.Property(e => e.Reason).HasMaxLength(64);
        download.Property(e => e.Attempts).HasDefaultValue(1);
        download.Property(e => e.SummaryKey).HasMaxLength(FloodSummary.KeyMaxLength);
        download.HasIndex(e => e.SummaryKey).IsUnique();
        download.HasIndex(e => e.At);
        download.HasIndex(e => new { e.TokenId, e.At });
        download.HasIndex(e => new { e.CustomerId, e.At });
        download.HasIndex(e => new { e.Repo, e.At });
        // One index per history filter, each ending in At: the page and the export sort and range by time.
        download.HasIndex(e => new { e.UserId, e.At });
        // Package alone needs its own: (Package, Version, At) finds the rows but not in time order, and sorting a
        // popular package's rows for every page cost 0.2 s of CPU at a million events.
        download.HasIndex(e => new { e.Package, e.At });
        download.HasIndex(e => new { e.Package, e.Version, e.At });
        download.HasIndex(e => new { e.Version, e.At });
        download.HasIndex(e => new { e.Status, e.At });
        download.HasIndex(e => new { e.Reason, e.At });
        download.HasIndex(e => new { e.ClientIp, e.At });
        // Covering, for customer usage: a customer's counted downloads of a period, their distinct clients and the
        // last one, from the index alone (a table lookup per event cost 0.1 s of CPU for 27,000 downloads).
        download.HasIndex(e => new { e.CustomerId, e.Counted, e.At, e.ClientIp });
    }
}
