using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>
/// The change version of everything a download decision reads (<see cref="DownloadModelChanges"/>): one row,
/// incremented in the same transaction as every such change. Each instance's <see cref="DownloadReadModel"/> is
/// valid for one value of it, so a change committed on any instance is seen by the very next request everywhere.
/// </summary>
public sealed class DownloadModelVersion
{
    public const string Table = "DownloadModelVersions";
    public const int RowId = 1;

    public int Id { get; set; }
    public long Version { get; set; }
}

internal sealed class DownloadModelVersionConfiguration : IEntityTypeConfiguration<DownloadModelVersion>
{
    public void Configure(EntityTypeBuilder<DownloadModelVersion> version)
    {
        version.ToTable(DownloadModelVersion.Table);
        version.Property(v => v.Id).ValueGeneratedNever();
        // Seeded by the migration: the bump is an UPDATE of an existing row, never an insert that could race.
        version.HasData(new DownloadModelVersion { Id = DownloadModelVersion.RowId, Version = 0 });
    }
}
