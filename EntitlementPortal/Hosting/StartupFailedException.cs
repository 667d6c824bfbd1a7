namespace EntitlementPortal.Hosting;

/// <summary>
/// A start-up problem an operator can fix (bad setting, unreachable database). Program prints its
/// message as one line and exits non-zero instead of a stack trace.
/// </summary>
public sealed class StartupFailedException(string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The first line of a provider's message: what fits in the one line a failed start prints.</summary>
    public static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
