using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditEntries");
        entry.Property(e => e.ActorId).HasMaxLength(450);
        entry.Property(e => e.ActorName).HasMaxLength(256);
        entry.Property(e => e.Action).HasMaxLength(32);
        entry.Property(e => e.EntityType).HasMaxLength(32);
        entry.Property(e => e.EntityId).HasMaxLength(128);
        entry.Property(e => e.Summary).HasMaxLength(4000);
        entry.Property(e => e.ClientIp).HasMaxLength(64);
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => new { e.EntityType, e.EntityId });
        entry.HasIndex(e => e.ActorName);
    }
}
