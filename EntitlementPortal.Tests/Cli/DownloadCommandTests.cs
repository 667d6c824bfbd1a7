using System.Net;
using EntitlementPortal.Cli;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class DownloadCommandTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> TokenWithOneServedAndOneMissingDownloadAsync()
    {
        var before = (await portal.EventsAsync(0)).Sum(e => e.Attempts);
        var (id, secret) = await portal.CreateTokenAsync(new { name = "History " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync($"/dl/{secret}/{DownloadApp.FilePath}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await portal.GetAsync($"/dl/{secret}/{DownloadApp.Repo}/{DownloadApp.Package}/{DownloadApp.Version}/missing.zip")).StatusCode);
        await portal.EventsAsync(before + 2);
        return id.ToString();
    }

    [Fact]
    public async Task List_filters_the_history_as_a_table_and_as_json()
    {
        var token = await TokenWithOneServedAndOneMissingDownloadAsync();

        var json = (await ep.RunAsync("downloads", "list", "--repo", DownloadApp.Repo, "--token", token, "--output", "json")).AssertOk().Json;
        Assert.Equal(2, json.GetProperty("total").GetInt32());
        var served = (await ep.RunAsync("downloads", "list", "--repo", DownloadApp.Repo, "--token", token, "--status", "200")).AssertOk().Output;
        Assert.Matches($@"(?m)\s{DownloadApp.Package}\s+{DownloadApp.Version.Replace(".", @"\.")}\s+{DownloadApp.Filename.Replace(".", @"\.")}\s+{token}\s+\S+\s+200\s+10 KB", served);
        Assert.EndsWith("1 of 1", served.TrimEnd());
    }

    [Fact]
    public async Task Export_streams_the_filtered_history_to_a_csv_file()
    {
        var token = await TokenWithOneServedAndOneMissingDownloadAsync();
        var path = Path.Combine(ep.Home, "history.csv");

        var export = (await ep.RunAsync("downloads", "export", "--repo", DownloadApp.Repo, "--token", token, "--file", path)).AssertOk();

        var lines = await File.ReadAllLinesAsync(path, Ct);
        Assert.StartsWith("at,repo,package,version,filename,tokenId", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains($"Wrote", export.Error);
        Assert.False(File.Exists(path + ".partial"));

        var stdout = (await ep.RunAsync("downloads", "export", "--repo", DownloadApp.Repo, "--token", token, "--file", "-")).AssertOk().Output;
        Assert.Equal(lines, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public async Task Bad_filters_are_usage_errors_and_members_without_a_staff_role_get_403_and_no_file()
    {
        var path = Path.Combine(ep.Home, "refused.csv");
        (await ep.RunAsync("downloads", "export", "--repo", DownloadApp.Repo, "--from", "last week", "--file", path)).AssertFailed(ExitCodes.Usage, "ISO-8601");

        ep.ApiKey = await ep.App.CreateUserWithKeyAsync($"member-{Guid.NewGuid():N}@example.com");
        (await ep.RunAsync("downloads", "export", "--repo", DownloadApp.Repo, "--file", path)).AssertFailed(ExitCodes.Refused, "HTTP 403");
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
        (await ep.RunAsync("downloads", "list", "--repo", DownloadApp.Repo)).AssertFailed(ExitCodes.Refused, "HTTP 403");
    }

    [Fact]
    public async Task An_export_into_a_missing_folder_is_a_usage_error()
    {
        var path = Path.Combine(ep.Home, "no-such-folder", "out.csv");

        (await ep.RunAsync("downloads", "export", "--repo", DownloadApp.Repo, "--file", path)).AssertFailed(ExitCodes.Usage, "no-such-folder");
    }

    public void Dispose() => ep.Dispose();
}
