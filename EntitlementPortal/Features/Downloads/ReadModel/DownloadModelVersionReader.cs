using System.Data;
using System.Data.Common;
using System.Globalization;
using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>
/// Reads <see cref="DownloadModelVersion"/>: the one query every download makes before trusting its cache.
/// Concurrent requests share reads: a request that arrives while a read is running waits for the next read, which
/// starts when the running one ends, so whatever read answers it began after the request arrived and sees every
/// change committed before that (the "very next request" rule). However many requests are in flight, at most one
/// read runs at a time, on one connection that keeps its prepared command (plain ADO.NET: no DbContext, no query
/// pipeline, no statement prepared and finalised per request).
/// </summary>
internal sealed class DownloadModelVersionReader(IDbContextFactory<AppDbContext> dbFactory) : IAsyncDisposable
{
    private static readonly string Sql = $"SELECT \"Version\" FROM \"{DownloadModelVersion.Table}\" WHERE \"Id\" = {DownloadModelVersion.RowId}";

    private readonly Lock gate = new();
    private bool reading;
    private TaskCompletionSource<long>? nextRead;

    // Used by one read at a time (the loop below), so one connection serves every request of this instance.
    private DbConnection? connection;
    private DbCommand? command;

    // The provider and connection string the app's contexts use, learnt once from one of them.
    private readonly Lazy<(DbProviderFactory Provider, string ConnectionString)> source = new(() =>
    {
        using var db = dbFactory.CreateDbContext();
        var provider = DbProviderFactories.GetFactory(db.Database.GetDbConnection())
            ?? throw new InvalidOperationException("The database provider has no ADO.NET factory.");
        return (provider, db.Database.GetConnectionString()!);
    });

    /// <summary>
    /// The version as of a read that started after this call. <paramref name="cancellationToken"/> stops only this
    /// caller's wait: the shared read goes on for the others.
    /// </summary>
    public Task<long> ReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<long>(cancellationToken);
        }
        TaskCompletionSource<long> target;
        lock (gate)
        {
            if (reading)
            {
                nextRead ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                return nextRead.Task.WaitAsync(cancellationToken);
            }
            reading = true;
            target = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _ = ReadForAllWaitingAsync(target);
        return target.Task.WaitAsync(cancellationToken);
    }

    private async Task ReadForAllWaitingAsync(TaskCompletionSource<long> target)
    {
        while (true)
        {
            try
            {
                target.TrySetResult(await ReadOnceAsync());
            }
            catch (Exception ex)
            {
                // The requests waiting on this read see the provider's error (503 while the database is away); the
                // connection is dropped, so the next read opens a fresh one.
                await DropConnectionAsync();
                target.TrySetException(ex);
            }
            lock (gate)
            {
                if (nextRead is null)
                {
                    reading = false;
                    return;
                }
                (target, nextRead) = (nextRead, null);
            }
            // SQLite's reads complete synchronously: without this, the request that started the first read would
            // run every following read for the others before it could go on with its own response.
            await Task.Yield();
        }
    }

    private async Task<long> ReadOnceAsync()
    {
        if (command is null || connection!.State != ConnectionState.Open)
        {
            await DropConnectionAsync();
            var (provider, connectionString) = source.Value;
            connection = provider.CreateConnection()!;
            connection.ConnectionString = connectionString;
            await connection.OpenAsync();
            command = connection.CreateCommand();
            command.CommandText = Sql;
            await command.PrepareAsync();
        }
        var version = await command!.ExecuteScalarAsync()
            ?? throw new InvalidOperationException($"{DownloadModelVersion.Table} has no row; the migrations seed it.");
        return Convert.ToInt64(version, CultureInfo.InvariantCulture);
    }

    private async ValueTask DropConnectionAsync()
    {
        if (command is not null)
        {
            await command.DisposeAsync();
            command = null;
        }
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // At shutdown no request reads any more; a read still running owns the connection and is left to finish.
        bool idle;
        lock (gate)
        {
            idle = !reading;
        }
        if (idle)
        {
            await DropConnectionAsync();
        }
    }
}
