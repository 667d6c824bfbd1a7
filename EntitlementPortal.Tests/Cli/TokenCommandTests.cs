using System.Net;
using System.Text.Json;
using EntitlementPortal.Cli;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class TokenCommandTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> NewRepoAsync()
    {
        var slug = "cli-tok-" + Guid.NewGuid().ToString("N")[..8];
        (await ep.RunAsync("repos", "create", slug, "--name", "Token tests", "--eula", "Use it well.")).AssertOk();
        return slug;
    }

    private async Task<JsonElement> CreateAsync(string repo, params string[] options) =>
        (await ep.RunAsync(["tokens", "create", repo, .. options, "--output", "json"])).AssertOk().Json;

    [Fact]
    public async Task Create_takes_every_restriction_as_an_option_and_json_shows_them_under_the_api_names()
    {
        var repo = await NewRepoAsync();
        var customer = (await ep.RunAsync("customers", "create", "--name", "Acme Corp", "--output", "json")).AssertOk().Json.GetProperty("id").GetInt32();
        var metadata = Path.Combine(ep.Home, "licence.json");
        await File.WriteAllTextAsync(metadata, """{ "licenseId": "L-123" }""", Ct);

        var token = await CreateAsync(repo, "--name", "Acme Corp", "--customer", customer.ToString(),
            "--limit-downloads", "10", "--limit-clients", "2", "--limit-bandwidth", "10GB",
            "--valid-from", "2026-08-01", "--valid-to", "2027-08-01T00:00:00Z",
            "--package-query", "name:acme-agent AND version:>=2.0",
            "--allow-cidr", "203.0.113.0/24", "--allow-cidr", "198.51.100.7/32",
            "--reset-period", "monthly", "--metadata", "@" + metadata, "--eula-required", "true", "--after-expiry", "fallback");

        Assert.StartsWith("ent_", token.GetProperty("token").GetString());
        Assert.Equal(customer, token.GetProperty("customerId").GetInt32());
        Assert.Equal(10, token.GetProperty("limitDownloads").GetInt64());
        Assert.Equal(2, token.GetProperty("limitClients").GetInt32());
        Assert.Equal(10_000_000_000, token.GetProperty("limitBandwidthBytes").GetInt64());
        Assert.Equal("2026-08-01T00:00:00Z", token.GetProperty("limitDateFrom").GetString());
        Assert.Equal("2027-08-01T00:00:00Z", token.GetProperty("limitDateTo").GetString());
        Assert.Equal("name:acme-agent AND version:>=2.0", token.GetProperty("limitPackageQuery").GetString());
        Assert.Equal(["203.0.113.0/24", "198.51.100.7/32"], token.GetProperty("allowedCidrs").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("monthly", token.GetProperty("resetPeriod").GetString());
        Assert.Equal("L-123", token.GetProperty("metadata").GetProperty("licenseId").GetString());
        Assert.True(token.GetProperty("eulaRequired").GetBoolean());
        Assert.Equal("fallback", token.GetProperty("afterExpiry").GetString());
    }

    [Fact]
    public async Task Show_and_list_print_tables_with_counters_beside_their_limits()
    {
        var repo = await NewRepoAsync();
        var id = (await CreateAsync(repo, "--name", "Table Co", "--limit-bandwidth", "1.5TB", "--limit-downloads", "5")).GetProperty("id").GetInt32();

        var show = (await ep.RunAsync("tokens", "show", repo, id.ToString())).AssertOk().Output;
        Assert.Matches(@"name\s+Table Co", show);
        Assert.Matches(@"state\s+active", show);
        Assert.Matches(@"bandwidth\s+0 B / 1\.5 TB", show);
        Assert.Matches(@"downloads\s+0 / 5", show);
        Assert.Matches(@"token\s+ent_", show);

        var list = (await ep.RunAsync("tokens", "list", repo)).AssertOk().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ID\s+NAME\s+CUSTOMER\s+STATE\s+DOWNLOADS", list[0]);
        Assert.Matches($@"^{id}\s+Table Co\s+-\s+active\s+0 / 5\s+0 B / 1\.5 TB", list[1]);
        Assert.Equal("1 of 1", list[^1]);

        var json = (await ep.RunAsync("tokens", "list", repo, "--output", "json")).AssertOk().Json;
        Assert.Equal(1, json.GetProperty("total").GetInt32());
        Assert.Equal(id, json.GetProperty("items")[0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Disable_refuses_downloads_enable_restores_them_and_usage_counts_the_served_one()
    {
        var created = await CreateAsync(DownloadApp.Repo, "--name", "Lifecycle");
        var (id, secret) = (created.GetProperty("id").GetInt32().ToString(), created.GetProperty("token").GetString());

        (await ep.RunAsync("tokens", "disable", DownloadApp.Repo, id)).AssertOk();
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync($"/dl/{secret}/{DownloadApp.FilePath}")).StatusCode);
        Assert.Matches(@"state\s+disabled", (await ep.RunAsync("tokens", "show", DownloadApp.Repo, id)).AssertOk().Output);

        var enabled = (await ep.RunAsync("tokens", "enable", DownloadApp.Repo, id, "--output", "json")).AssertOk().Json;
        Assert.True(enabled.GetProperty("isActive").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync($"/dl/{secret}/{DownloadApp.FilePath}")).StatusCode);

        var usage = (await ep.RunAsync("tokens", "usage", DownloadApp.Repo, id, "--output", "json")).AssertOk().Json;
        Assert.Equal(1, usage.GetProperty("downloads").GetInt64());
        Assert.Equal(DownloadApp.Content.Length, usage.GetProperty("bandwidthBytes").GetInt64());
        var table = (await ep.RunAsync("tokens", "usage", DownloadApp.Repo, id)).AssertOk().Output;
        Assert.Matches(@"downloads\s+1", table);
        Assert.Matches(@"bandwidth\s+10 KB", table);
    }

    [Fact]
    public async Task Update_changes_only_what_is_given_and_clear_removes_a_limit()
    {
        var repo = await NewRepoAsync();
        var id = (await CreateAsync(repo, "--name", "Patch", "--limit-downloads", "5", "--limit-bandwidth", "10GB", "--allow-cidr", "203.0.113.0/24"))
            .GetProperty("id").GetInt32().ToString();

        var updated = (await ep.RunAsync("tokens", "update", repo, id, "--limit-downloads", "20", "--clear", "limit-bandwidth",
            "--clear", "allow-cidr", "--output", "json")).AssertOk().Json;

        Assert.Equal("Patch", updated.GetProperty("name").GetString());
        Assert.Equal(20, updated.GetProperty("limitDownloads").GetInt64());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("limitBandwidthBytes").ValueKind);
        Assert.Empty(updated.GetProperty("allowedCidrs").EnumerateArray());
    }

    [Theory]
    [InlineData("--limit-bandwidth", "10XB", "'10XB' is not a size")]
    [InlineData("--valid-to", "yesterday", "'yesterday' is not an ISO-8601")]
    [InlineData("--limit-downloads", "-3", "'-3' is not a positive whole number")]
    [InlineData("--reset-period", "hourly", "hourly")]
    public async Task A_malformed_option_value_is_a_usage_error_before_anything_is_sent(string option, string value, string message)
    {
        var repo = await NewRepoAsync();

        (await ep.RunAsync("tokens", "create", repo, "--name", "Bad", option, value)).AssertFailed(ExitCodes.Usage, message);

        Assert.Equal(0, (await ep.RunAsync("tokens", "list", repo, "--output", "json")).AssertOk().Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Metadata_that_is_not_a_json_object_is_a_usage_error()
    {
        var array = Path.Combine(ep.Home, "array.json");
        await File.WriteAllTextAsync(array, "[1, 2]", Ct);

        (await ep.RunAsync("tokens", "create", "acme", "--name", "M", "--metadata", "@" + array)).AssertFailed(ExitCodes.Usage, "must hold a JSON object");
        (await ep.RunAsync("tokens", "create", "acme", "--name", "M", "--metadata", "@" + Path.Combine(ep.Home, "missing.json"))).AssertFailed(ExitCodes.Usage, "cannot read");
    }

    [Fact]
    public async Task The_portals_validation_is_exit_1_with_its_detail_and_field()
    {
        var repo = await NewRepoAsync();

        var result = (await ep.RunAsync("tokens", "create", repo, "--name", "Q", "--package-query", "name:(acme")).AssertFailed(ExitCodes.Refused, "HTTP 400");

        Assert.Contains("limitPackageQuery", result.Error);
    }

    [Fact]
    public async Task An_unknown_token_is_404_and_an_account_manager_may_not_create_one_403()
    {
        var repo = await NewRepoAsync();
        (await ep.RunAsync("tokens", "show", repo, "999999")).AssertFailed(ExitCodes.Refused, "HTTP 404");

        ep.ApiKey = await ep.App.CreateUserWithKeyAsync($"am-{Guid.NewGuid():N}@example.com", EntitlementPortal.Identity.Roles.AccountManager);
        (await ep.RunAsync("tokens", "create", repo, "--name", "Nope")).AssertFailed(ExitCodes.Refused, "HTTP 403");
    }

    [Fact]
    public async Task Destructive_commands_refuse_in_a_script_without_yes_and_ask_at_a_terminal()
    {
        var repo = await NewRepoAsync();
        var id = (await CreateAsync(repo, "--name", "Doomed")).GetProperty("id").GetInt32().ToString();

        (await ep.RunAsync("tokens", "delete", repo, id)).AssertFailed(ExitCodes.Usage, "--yes");

        ep.Interactive = true;
        ep.Answers.Enqueue("n");
        (await ep.RunAsync("tokens", "delete", repo, id)).AssertFailed(ExitCodes.Refused, "nothing was changed");
        (await ep.RunAsync("tokens", "show", repo, id)).AssertOk();

        ep.Answers.Enqueue("y");
        var deleted = (await ep.RunAsync("tokens", "delete", repo, id)).AssertOk();
        Assert.Contains($"Deleted token {id}.", deleted.Output);
        Assert.Contains("[y/N]", deleted.Error);
    }

    [Fact]
    public async Task Refresh_gives_a_new_secret_reset_zeroes_the_counters_and_sync_copies_tokens()
    {
        var source = await NewRepoAsync();
        var target = await NewRepoAsync();
        var created = await CreateAsync(source, "--name", "Synced");
        var id = created.GetProperty("id").GetInt32().ToString();

        var refreshed = (await ep.RunAsync("tokens", "refresh", source, id, "--grace-seconds", "60", "--yes", "--output", "json")).AssertOk().Json;
        Assert.NotEqual(created.GetProperty("token").GetString(), refreshed.GetProperty("token").GetString());

        var reset = (await ep.RunAsync("tokens", "reset", source, id, "--yes", "--output", "json")).AssertOk().Json;
        Assert.Equal(0, reset.GetProperty("downloads").GetInt64());

        var sync = (await ep.RunAsync("tokens", "sync", target, "--source", source, "--yes")).AssertOk();
        Assert.Contains("1 created, 0 updated, 0 deleted", sync.Output);
        var copied = (await ep.RunAsync("tokens", "list", target, "--output", "json")).AssertOk().Json;
        Assert.Equal("Synced", copied.GetProperty("items")[0].GetProperty("name").GetString());
    }

    public void Dispose() => ep.Dispose();
}
