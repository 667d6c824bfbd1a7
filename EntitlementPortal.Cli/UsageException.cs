namespace EntitlementPortal.Cli;

/// <summary>The command line itself is wrong or incomplete (exit code 2): a bad value, a missing login, no --yes.</summary>
public sealed class UsageException(string message) : Exception(message);
