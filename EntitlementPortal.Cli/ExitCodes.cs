namespace EntitlementPortal.Cli;

/// <summary>What scripts can rely on (docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The portal refused: validation, not found, forbidden, conflict, a wrong API key.</summary>
    public const int Refused = 1;
    /// <summary>The command line was wrong: unknown option, malformed value, missing login or confirmation.</summary>
    public const int Usage = 2;
    /// <summary>The portal could not be reached: connection refused, unknown host, time-out.</summary>
    public const int Unreachable = 3;
}
