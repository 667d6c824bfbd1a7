using EntitlementPortal.Cli;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class AuditCommandTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);

    [Fact]
    public async Task The_audit_log_shows_what_the_cli_changed()
    {
        var slug = "cli-audit-" + Guid.NewGuid().ToString("N")[..8];
        (await ep.RunAsync("repos", "create", slug, "--name", "Audited")).AssertOk();

        var json = (await ep.RunAsync("audit", "list", "--output", "json")).AssertOk().Json;
        Assert.Contains(json.GetProperty("items").EnumerateArray(), e => e.GetProperty("summary").GetString()!.Contains(slug));
        var table = (await ep.RunAsync("audit", "list", "--page-size", "5")).AssertOk().Output;
        Assert.Matches(@"^AT\s+WHO\s+ACTION\s+ENTITY\s+SUMMARY", table);
        Assert.Contains(slug, table);
    }

    [Fact]
    public async Task Token_managers_may_not_read_the_audit_log()
    {
        ep.ApiKey = await ep.App.CreateUserWithKeyAsync($"tm-{Guid.NewGuid():N}@example.com", Roles.TokenManager);

        (await ep.RunAsync("audit", "list")).AssertFailed(ExitCodes.Refused, "HTTP 403");
        (await ep.RunAsync("audit", "list", "--from", "yesterday")).AssertFailed(ExitCodes.Usage, "ISO-8601");
    }

    public void Dispose() => ep.Dispose();
}
