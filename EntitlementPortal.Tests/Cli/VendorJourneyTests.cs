using System.Net;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Cli;

/// <summary>The issue's "done when": what a vendor's shell script does, in order, with one stored login.</summary>
[Collection(CliCollection.Name)]
public sealed class VendorJourneyTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Log_in_create_restrict_disable_and_inspect_a_token_push_a_package_and_export_the_history()
    {
        var repo = "cli-journey-" + Guid.NewGuid().ToString("N")[..8];
        (await ep.RunWithStoredLoginAsync("login", "--url", ep.PortalUrl, "--api-key", ApiAppFactory.AdminApiKey)).AssertOk();
        (await ep.RunWithStoredLoginAsync("repos", "create", repo, "--name", "Journey")).AssertOk();
        var customer = (await ep.RunWithStoredLoginAsync("customers", "create", "--name", "Journey Corp", "--output", "json")).AssertOk().Json.GetProperty("id").GetInt32();

        var release = Path.Combine(ep.Home, "journey-1.0.0.zip");
        await File.WriteAllBytesAsync(release, new byte[4_000], Ct);
        (await ep.RunWithStoredLoginAsync("packages", "push", release, "--repo", repo, "--name", "journey", "--version", "1.0.0")).AssertOk();

        var token = (await ep.RunWithStoredLoginAsync("tokens", "create", repo, "--name", "Journey Corp", "--customer", customer.ToString(), "--output", "json")).AssertOk().Json;
        var (id, secret) = (token.GetProperty("id").GetInt32().ToString(), token.GetProperty("token").GetString());
        (await ep.RunWithStoredLoginAsync("tokens", "update", repo, id, "--limit-downloads", "1", "--limit-bandwidth", "1MB", "--valid-to", "2030-01-01")).AssertOk();

        var file = $"/dl/{secret}/{repo}/journey/1.0.0/journey-1.0.0.zip";
        var before = (await portal.EventsAsync(0)).Sum(e => e.Attempts);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync(file)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync(file)).StatusCode);
        (await ep.RunWithStoredLoginAsync("tokens", "disable", repo, id)).AssertOk();
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync(file)).StatusCode);
        await portal.EventsAsync(before + 3);

        var shown = (await ep.RunWithStoredLoginAsync("tokens", "show", repo, id)).AssertOk().Output;
        Assert.Matches(@"state\s+disabled", shown);
        Assert.Matches(@"downloads\s+1 / 1", shown);
        Assert.Matches(@"bandwidth\s+4 KB / 1 MB", shown);
        Assert.Matches(@"valid to\s+2030-01-01 00:00Z", shown);

        var csv = Path.Combine(ep.Home, "journey.csv");
        (await ep.RunWithStoredLoginAsync("downloads", "export", "--repo", repo, "--customer", customer.ToString(), "--file", csv)).AssertOk();
        var rows = (await File.ReadAllLinesAsync(csv, Ct)).Skip(1).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Single(rows, r => r.Contains(",200,"));
    }

    public void Dispose() => ep.Dispose();
}
