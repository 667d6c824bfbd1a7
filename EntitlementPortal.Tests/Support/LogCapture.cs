using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// The log messages of one category (Debug and up), in order, as a channel a test awaits instead of polling for
/// the effect of background work. Register it as an <see cref="ILoggerProvider"/> with the minimum level at Debug.
/// </summary>
public sealed class LogCapture(string category) : ILoggerProvider
{
    private readonly Channel<string> messages = Channel.CreateUnbounded<string>();

    public static LogCapture For<T>() => new(typeof(T).FullName!);

    /// <summary>The next message logged, waiting for it if need be (failing after a generous bound).</summary>
    public async Task<string> NextAsync(CancellationToken cancellationToken) =>
        await messages.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

    public ILogger CreateLogger(string categoryName) => categoryName == category ? new Capture(messages.Writer) : NullLogger.Instance;

    public void Dispose() => messages.Writer.TryComplete();

    private sealed class Capture(ChannelWriter<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                messages.TryWrite(formatter(state, exception));
            }
        }
    }
}
