namespace EntitlementPortal.Tests.Audit;

/// <summary>A clock the test moves by hand, so entries land at known times.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
