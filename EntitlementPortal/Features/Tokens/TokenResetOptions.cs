namespace EntitlementPortal.Features.Tokens;

/// <summary>The <c>Tokens</c> settings.</summary>
public sealed class TokenResetOptions
{
    public const string Section = "Tokens";

    /// <summary>
    /// How often each instance looks for scheduled usage resets that are due. A reset is applied at most this long
    /// after its time; the database decides which instance applies it, so more instances do not mean more resets.
    /// </summary>
    public TimeSpan ResetCheckInterval { get; set; } = TokenResetScheduler.DefaultInterval;
}
