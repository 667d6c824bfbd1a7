using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Webhooks;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> subscription)
    {
        subscription.ToTable("WebhookSubscriptions");
        subscription.Property(s => s.Url).HasMaxLength(WebhookRules.UrlMaxLength);
        subscription.Property(s => s.Events).HasMaxLength(1000);
        subscription.Property(s => s.SecretCipher).HasMaxLength(2000);
        subscription.HasOne(s => s.Repository).WithMany().HasForeignKey(s => s.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        subscription.HasMany(s => s.Deliveries).WithOne(d => d.Subscription).HasForeignKey(d => d.SubscriptionId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("WebhookDeliveries");
        delivery.Property(d => d.Id).HasMaxLength(36);
        delivery.Property(d => d.Event).HasMaxLength(64);
        delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        delivery.Property(d => d.LastResponseExcerpt).HasMaxLength(WebhookRules.ExcerptMaxLength);
        delivery.Property(d => d.LastError).HasMaxLength(500);
        delivery.Property(d => d.ResentFromId).HasMaxLength(36);
        // The dispatcher's question on every instance: what is due?
        delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
        // The deliveries page: a subscription's deliveries, newest first.
        delivery.HasIndex(d => new { d.SubscriptionId, d.CreatedAt });
    }
}

internal sealed class WebhookNoticeConfiguration : IEntityTypeConfiguration<WebhookNotice>
{
    public void Configure(EntityTypeBuilder<WebhookNotice> notice)
    {
        notice.ToTable("WebhookNotices");
        notice.Property(n => n.Event).HasMaxLength(64);
        notice.Property(n => n.Key).HasMaxLength(100);
        notice.HasIndex(n => new { n.Event, n.SubjectId, n.Key }).IsUnique();
    }
}
