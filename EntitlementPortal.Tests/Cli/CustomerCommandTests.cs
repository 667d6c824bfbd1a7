using System.Text.Json;
using EntitlementPortal.Cli;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CustomerCommandTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);

    private async Task<string> CreateAsync(params string[] options) =>
        (await ep.RunAsync(["customers", "create", .. options, "--output", "json"])).AssertOk().Json.GetProperty("id").GetInt32().ToString();

    [Fact]
    public async Task Create_show_update_revoke_reinstate_and_delete_a_customer()
    {
        var name = "Acme " + Guid.NewGuid().ToString("N")[..6];
        var id = await CreateAsync("--name", name, "--email", "ops@acme.example", "--company", "Acme Ltd", "--metadata", """{"crm":"C-9"}""");

        var shown = (await ep.RunAsync("customers", "show", id)).AssertOk().Output;
        Assert.Matches($@"name\s+{name}", shown);
        Assert.Matches(@"email\s+ops@acme\.example", shown);
        Assert.Matches(@"status\s+active", shown);

        var updated = (await ep.RunAsync("customers", "update", id, "--plan", "enterprise", "--subscription-ends", "2027-01-31", "--output", "json")).AssertOk().Json;
        Assert.Equal("2027-01-31T00:00:00Z", updated.GetProperty("subscriptionEndsAt").GetString());
        Assert.Equal("enterprise", updated.GetProperty("plan").GetString());
        Assert.Equal("Acme Ltd", updated.GetProperty("company").GetString());
        Assert.Equal("C-9", updated.GetProperty("metadata").GetProperty("crm").GetString());

        Assert.Equal("revoked", (await ep.RunAsync("customers", "revoke", id, "--yes", "--output", "json")).AssertOk().Json.GetProperty("status").GetString());
        Assert.Matches($@"(?m)^{id}\s+{name}.*revoked", (await ep.RunAsync("customers", "list", "--status", "revoked", "--page-size", "500")).AssertOk().Output);
        Assert.Equal("active", (await ep.RunAsync("customers", "reinstate", id, "--output", "json")).AssertOk().Json.GetProperty("status").GetString());

        (await ep.RunAsync("customers", "delete", id, "--yes")).AssertOk();
        (await ep.RunAsync("customers", "show", id)).AssertFailed(ExitCodes.Refused, "HTTP 404");
    }

    [Fact]
    public async Task Invalid_fields_are_refused_with_the_portals_detail()
    {
        var result = (await ep.RunAsync("customers", "create", "--name", "Bad mail", "--email", "not-an-address")).AssertFailed(ExitCodes.Refused, "HTTP 400");

        Assert.Contains("email", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Account_managers_may_not_create_customers()
    {
        ep.ApiKey = await ep.App.CreateUserWithKeyAsync($"am-{Guid.NewGuid():N}@example.com", Roles.AccountManager);

        (await ep.RunAsync("customers", "create", "--name", "Nope")).AssertFailed(ExitCodes.Refused, "HTTP 403");
        var list = (await ep.RunAsync("customers", "list", "--output", "json")).AssertOk().Json;
        Assert.Equal(JsonValueKind.Array, list.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Metadata_must_be_a_json_object()
    {
        (await ep.RunAsync("customers", "create", "--name", "M", "--metadata", "\"text\"")).AssertFailed(ExitCodes.Usage, "must hold a JSON object");
    }

    public void Dispose() => ep.Dispose();
}
