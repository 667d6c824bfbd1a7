using Microsoft.Extensions.Logging;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// Keeps every log entry the app writes (after the app's own level filters), for tests about logging, and lets a test
/// await an entry as a signal that the app got that far (instead of sleeping).
/// </summary>
public sealed class LogRecording : ILoggerProvider
{
    private readonly Lock gate = new();
    private readonly List<LogEntry> entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Seen)> waiters = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (gate)
            {
                return entries.ToArray();
            }
        }
    }

    /// <summary>The first entry that matches, now or when it is written; gives up after <paramref name="timeout"/>.</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (entries.FirstOrDefault(match) is { } existing)
            {
                return Task.FromResult(existing);
            }
            var seen = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((match, seen));
            return seen.Task.WaitAsync(timeout, cancellationToken);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (gate)
        {
            entries.Add(entry);
            foreach (var waiter in waiters.Where(w => w.Match(entry)).ToList())
            {
                waiters.Remove(waiter);
                waiter.Seen.TrySetResult(entry);
            }
        }
    }

    private sealed class Logger(string category, LogRecording capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
