using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// Stops one piece of work on one host just before its first database transaction begins, until the test lets
/// it go on: so a test can put another host's whole operation in between "read what the rule depends on" and
/// "write", deterministically. Only work started through <see cref="RunAsync{T}"/> is held (the mark flows with
/// its async calls), never the host's background work; each hold stops one transaction.
/// </summary>
public sealed class TransactionHold : DbTransactionInterceptor
{
    private readonly AsyncLocal<bool> marked = new();
    private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int used;

    /// <summary>Completes when the held work is about to begin its transaction.</summary>
    public Task Reached => reached.Task;

    /// <summary>Starts <paramref name="work"/> with its first transaction held.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work) => Task.Run(async () =>
    {
        marked.Value = true;
        return await work();
    });

    public Task RunAsync(Func<Task> work) => RunAsync(async () =>
    {
        await work();
        return true;
    });

    /// <summary>
    /// Waits until the held work reaches the hold. Given the work's own task, fails as soon as that finishes
    /// without ever beginning a transaction (it decided without one); given none (background work such as a
    /// hosted service), fails after a generous bound.
    /// </summary>
    public async Task WaitUntilReachedAsync(Task? work, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAny(Reached, work ?? Reached).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported below.
        }
        if (!Reached.IsCompleted)
        {
            if (work is { IsCompleted: true })
            {
                await work;
            }
            Assert.Fail("The held work did not begin a database transaction.");
        }
    }

    public void Release() => released.TrySetResult();

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default)
    {
        if (ShouldHold())
        {
            reached.TrySetResult();
            await released.Task;
        }
        return result;
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (ShouldHold())
        {
            reached.TrySetResult();
            released.Task.GetAwaiter().GetResult();
        }
        return result;
    }

    private bool ShouldHold() => marked.Value && Interlocked.Exchange(ref used, 1) == 0;
}
