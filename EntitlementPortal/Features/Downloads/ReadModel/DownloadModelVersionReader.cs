using System.Data.Common;
using System.Globalization;
using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Downloads.ReadModel;

/// <summary>
/// Reads <see cref="DownloadModelVersion"/>: the one query every download makes before trusting its cache. Plain
/// ADO.NET on the provider's pooled connections, with no DbContext or query pipeline in between, because it runs
/// on every request.
/// </summary>
internal sealed class DownloadModelVersionReader(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly string Sql = $"SELECT \"Version\" FROM \"{DownloadModelVersion.Table}\" WHERE \"Id\" = {DownloadModelVersion.RowId}";

    // The provider and connection string the app's contexts use, learnt once from one of them.
    private readonly Lazy<(DbProviderFactory Provider, string ConnectionString)> source = new(() =>
    {
        using var db = dbFactory.CreateDbContext();
        var provider = DbProviderFactories.GetFactory(db.Database.GetDbConnection())
            ?? throw new InvalidOperationException("The database provider has no ADO.NET factory.");
        return (provider, db.Database.GetConnectionString()!);
    });

    public async ValueTask<long> ReadAsync(CancellationToken cancellationToken)
    {
        var (provider, connectionString) = source.Value;
        await using var connection = provider.CreateConnection()!;
        connection.ConnectionString = connectionString;
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        var version = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new InvalidOperationException($"{DownloadModelVersion.Table} has no row; the migrations seed it.");
        return Convert.ToInt64(version, CultureInfo.InvariantCulture);
    }
}
