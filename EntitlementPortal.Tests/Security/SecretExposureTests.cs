using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Security;

/// <summary>
/// Token secrets go through every download route (right and wrong places, headers, user agents), then the raw
/// database file, the logs and every API response a role without secret access can read are searched for them.
/// </summary>
public sealed class SecretExposureTests : DownloadTestBase
{
    private const string CustomSecret = "Globex-Custom-2026";
    private readonly LogRecording logs = new();

    public SecretExposureTests()
    {
        App.LoggerProviders.Add(logs);
    }

    [Fact]
    public async Task No_secret_reaches_the_database_the_logs_or_responses_for_roles_without_secret_access()
    {
        var (generatedId, generated) = await CreateTokenAsync(new { name = "Acme CI" });
        var (customId, custom) = await CreateTokenAsync(new { name = "Globex", token = CustomSecret });
        var (refreshedId, beforeRefresh) = await CreateTokenAsync(new { name = "Refreshed" });
        var refreshed = (await (await Api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements/{refreshedId}/refresh", new { }, Ct))
            .ReadJsonAsync(HttpStatusCode.OK)).GetProperty("token").GetString()!;
        var (deletedId, deleted) = await CreateTokenAsync(new { name = "Deleted" });
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/repos/{Repo}/entitlements/{deletedId}", Ct)).StatusCode);
        string[] secrets = [generated, custom, beforeRefresh, refreshed, deleted];

        var attempts = 0;
        foreach (var secret in secrets)
        {
            foreach (var path in PathsCarrying(secret))
            {
                await SendAsync(HttpMethod.Get, path, secret);
                await SendAsync(HttpMethod.Get, path.Replace("/dl/" + secret, "/dl/basic"), secret, basicPassword: secret);
                attempts += 2;
            }
            await SendAsync(HttpMethod.Head, $"/dl/{secret}/{FilePath}", secret);
            await SendAsync(HttpMethod.Get, $"/dl/{secret}x/{FilePath}", secret, echoInUserAgent: false);
            // The secret in the repository's place, as a confused script might send it.
            await SendAsync(HttpMethod.Get, $"/dl/basic/{secret}/", secret, basicPassword: secret);
            await SendAsync(HttpMethod.Get, $"/dl/public/{secret}/{Package}/{Version}/{Filename}", secret, echoInUserAgent: false);
            // A token presented as an API key is refused, and not remembered either.
            using var asKey = App.CreateApiClient(secret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await asKey.GetAsync("/api/v1/repos", Ct)).StatusCode);
            attempts += 4;
        }
        var events = await EventsAsync(attempts);
        Assert.True(events.Sum(e => e.Attempts) >= attempts, $"{events.Sum(e => e.Attempts)} of {attempts} attempts stored");
        Assert.Contains(events, e => e.Reason == "no_route" && e.Repo == Repo);
        Assert.Contains(events, e => e.Repo == HistoryRedaction.MaskedSegment);

        foreach (var (role, key) in new[]
        {
            ("AccountManager", await App.CreateUserWithKeyAsync("am@example.com", Roles.AccountManager)),
            ("no role", await App.CreateUserWithKeyAsync("nobody@example.com")),
        })
        {
            using var client = App.CreateApiClient(key);
            foreach (var route in ReadRoutes(generatedId, customId, refreshedId, deletedId))
            {
                var body = await (await client.GetAsync(route, Ct)).Content.ReadAsStringAsync(Ct);
                foreach (var secret in secrets)
                {
                    Assert.False(body.Contains(secret, StringComparison.Ordinal), $"{role} reads a secret in {route}: {body}");
                }
            }
        }

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Entries, entry => entry.Message.Contains(secret, StringComparison.Ordinal)
                || entry.Exception?.ToString().Contains(secret, StringComparison.Ordinal) == true);
        }
        var dump = await RawDatabaseAsync();
        foreach (var secret in secrets)
        {
            Assert.Equal(-1, dump.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, dump.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
        }
    }

    [Theory]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWx012345", "ent_••••••••")]
    [InlineData("curl/8.0 token=ent_AbCdEfGhIjKlMnOpQrStUvWx012345;", "curl/8.0 token=ent_••••••••;")]
    [InlineData("agent_linux_x64.tar.gz", "agent_linux_x64.tar.gz")]
    [InlineData("ent_tools", "ent_tools")]
    [InlineData("pip/24 (key Globex-Custom-2026)", "pip/24 (key ••••••••)")]
    public void Token_shaped_text_and_the_presented_secret_are_masked_and_ordinary_names_kept(string text, string stored) =>
        Assert.Equal(stored, new HistoryRedaction(CustomSecret).Text(text));

    [Fact]
    public void A_short_presented_value_never_blanks_out_names() =>
        Assert.Equal("acme-agent", new HistoryRedaction("a").Text("acme-agent"));

    [Theory]
    [InlineData("acme", "acme")]
    [InlineData(CustomSecret, HistoryRedaction.MaskedSegment)]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWx012345", HistoryRedaction.MaskedSegment)]
    [InlineData("globex-custom-2026", HistoryRedaction.MaskedSegment)]
    public void A_repository_that_is_not_a_slug_or_is_the_secret_is_masked(string segment, string stored) =>
        Assert.Equal(stored, new HistoryRedaction("globex-custom-2026").Repo(segment));

    [Theory]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWx012345/acme/acme-agent", "ent_AbCdEfGhIjKlMnOpQrStUvWx012345", "acme", "acme-agent")]
    [InlineData(CustomSecret, CustomSecret, null, null)]
    [InlineData("basic/x", null, "x", null)]
    [InlineData("public/acme/a/b/c/d", null, "acme", "a")]
    public void An_unmatched_path_sets_the_token_position_apart(string rest, string? tokenPosition, string? repo, string? package)
    {
        var stored = HistoryRedaction.Unmatched(rest);
        Assert.Equal(tokenPosition, stored.TokenPosition);
        Assert.Equal(repo, stored.Repo);
        Assert.Equal(package, stored.Package);
    }

    private IEnumerable<string> PathsCarrying(string secret) =>
    [
        $"/dl/{secret}/{FilePath}",
        $"/dl/{secret}/{Repo}/",
        $"/dl/{secret}/{Repo}/{Package}",
        $"/dl/{secret}",
        $"/dl/{secret}/{Repo}/{Package}/{Version}/{Filename}/extra",
        $"/dl/{secret}/unknown-repo/{Package}/{Version}/{Filename}",
        $"/dl/{secret}/{Repo}/{secret}/{Version}/{secret}",
    ];

    /// <param name="echoInUserAgent">A script that echoes its token into the user agent; a custom secret is
    /// recognised there only when the same request presents it, so other requests are sent without.</param>
    private async Task SendAsync(HttpMethod method, string path, string secret, string? basicPassword = null, bool echoInUserAgent = true)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("User-Agent", echoInUserAgent ? $"ci-runner/1.0 (token {secret})" : "ci-runner/1.0");
        request.Headers.TryAddWithoutValidation("Referer", $"https://portal.example.com/dl/{secret}/");
        if (basicPassword is not null)
        {
            Basic("token", basicPassword)(request);
        }
        using var response = await Anonymous.SendAsync(request, Ct);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private static IEnumerable<string> ReadRoutes(params int[] tokenIds) =>
    [
        "/api/v1/repos", $"/api/v1/repos/{Repo}", "/api/v1/customers", $"/api/v1/repos/{Repo}/packages",
        $"/api/v1/repos/{Repo}/entitlements?includeDeleted=true", "/api/v1/downloads?pageSize=500", "/api/v1/audit?pageSize=500",
        .. tokenIds.SelectMany(id => new[] { $"/api/v1/repos/{Repo}/entitlements/{id}", $"/api/v1/repos/{Repo}/entitlements/{id}/usage" }),
    ];

    /// <summary>The database file as an attacker with a dump would read it: raw bytes, WAL folded in.</summary>
    private async Task<byte[]> RawDatabaseAsync()
    {
        await App.StopServerAndHostAsync();
        await using (var connection = new SqliteConnection($"Data Source={App.DatabasePath}"))
        {
            await connection.OpenAsync(Ct);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync(Ct);
        }
        SqliteConnection.ClearAllPools();
        return await File.ReadAllBytesAsync(App.DatabasePath, Ct);
    }
}
