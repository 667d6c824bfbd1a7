namespace EntitlementPortal.Features.Webhooks;

/// <summary>The <c>Webhooks</c> settings.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Lets subscriptions target loopback, private and link-local addresses. Off by default: a webhook URL is a
    /// request the portal makes on an admin's behalf, and pointed inward it would reach the database, the cloud
    /// metadata service or anything else only the server can see (server-side request forgery).
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>The wait before the first retry; each later retry waits twice as long as the one before.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each instance looks for deliveries that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

public static class WebhookRules
{
    public const int UrlMaxLength = 2000;
    public const int SecretMinLength = 16;
    public const int SecretMaxLength = 200;
    public const int ExcerptMaxLength = 500;
    public const int MaxAttempts = 10;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed delivery stays with its instance: longer than one attempt can take.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based): the first delay, doubled each time.</summary>
    public static TimeSpan RetryDelay(TimeSpan first, int attempt) =>
        TimeSpan.FromTicks(first.Ticks * (1L << Math.Clamp(attempt - 1, 0, MaxAttempts)));
}
