namespace EntitlementPortal.Data;

/// <summary>
/// Queues hot-path writes inside this process when the database is SQLite, which admits one writer at a time
/// and otherwise makes concurrent writers sleep and retry. A no-op on SQL Server. Correctness never depends
/// on it: every limit is still enforced by conditional statements in the database.
/// </summary>
public sealed class DatabaseWriteGate(DatabaseSettings settings)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly bool serialize = settings.Provider == DatabaseProvider.Sqlite;

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!serialize)
        {
            return NoTurn.Instance;
        }
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
