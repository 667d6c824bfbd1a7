using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntitlementPortal.Tests.Downloads.ReadModel;

/// <summary>
/// A warm instance answers a download from its read model: no repository, token or file query until the version
/// moves, and one round of them again right after it moved.
/// </summary>
public sealed class DownloadReadModelCacheTests : DownloadTestBase
{
    private readonly QueryRecorder queries = new();

    public DownloadReadModelCacheTests()
    {
        App.DatabaseInterceptors.Add(queries);
    }

    [Fact]
    public async Task A_warm_download_reads_no_repository_token_or_file_and_a_change_reloads_them_once()
    {
        var (id, secret) = await CreateTokenAsync(new { name = "Warm" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);

        queries.Clear();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);
        Assert.Empty(queries.ReadModelLookups());

        (await Api.PatchJsonAsync($"/api/v1/repos/{Repo}/entitlements/{id}", new { name = "Renamed" })).EnsureSuccessStatusCode();
        queries.Clear();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);
        Assert.Equal(3, queries.ReadModelLookups().Count);
    }

    private sealed class QueryRecorder : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> commands = new();

        public void Clear() => commands.Clear();

        /// <summary>The SELECTs the read model makes on a miss: repository by slug, token by digest, file by path.</summary>
        public List<string> ReadModelLookups() => commands.Where(sql => sql.StartsWith("SELECT", StringComparison.Ordinal)
            && (sql.Contains("FROM \"Repositories\"", StringComparison.Ordinal)
                || sql.Contains("\"SecretDigest\" =", StringComparison.Ordinal)
                || sql.Contains("FROM \"PackageFiles\"", StringComparison.Ordinal))).ToList();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
