using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Data;

/// <summary>
/// The logger factory EF Core uses for the portal's contexts. EF logs a failed command and a failed save as errors
/// (the save with its stack trace) before the caller even sees the exception. A unique-index violation is expected,
/// though: the services check uniqueness first and recognise a race lost between check and save from the index (two
/// creates of the same slug or version at once, two first downloads from one new client address), then answer a
/// conflict or count once. So:
/// <list type="bullet">
/// <item>an entry carrying a unique-violation exception (the failed save) is written at Debug;</item>
/// <item>"Failed executing DbCommand" is written at Debug always: EF gives it no exception, so it cannot tell a race
/// from a fault, and the same failure is reported again with its exception (the failed save or query at Error, or
/// the 500 the request ends in).</item>
/// </list>
/// Every other entry keeps EF's level; a unique violation that nobody catches is still logged as an error by the
/// layer that answers 500.
/// </summary>
public sealed class DatabaseLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new ExpectedFailuresAtDebug(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The wrapped factory belongs to the host, which disposes it.
    public void Dispose()
    {
    }

    private sealed class ExpectedFailuresAtDebug(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel > LogLevel.Debug
                && (eventId.Id == RelationalEventId.CommandError.Id || DatabaseErrors.IsUniqueViolation(exception)))
            {
                logLevel = LogLevel.Debug;
                if (!inner.IsEnabled(logLevel))
                {
                    return;
                }
            }
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
