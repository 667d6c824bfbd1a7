using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Api;

/// <summary>A POST with a field the resource does not have is refused, keyed by that field, and creates nothing.</summary>
public sealed class UnknownFieldTests : IAsyncDisposable
{
    private readonly ApiAppFactory app = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_typo_of_limitDownloads_is_a_400_keyed_by_the_typo_and_no_unlimited_token_is_created()
    {
        var api = app.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, Ct)).EnsureSuccessStatusCode();

        var problem = await (await api.PostAsJsonAsync("/api/v1/repos/acme/entitlements", new { name = "Acme", limitNumDownloads = 3 }, Ct))
            .AssertProblemAsync(400);

        Assert.Equal(["'limitNumDownloads' is not a field of this resource."], problem.ErrorsFor("limitNumDownloads"));
        Assert.DoesNotContain("EntitlementPortal", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var tokens = await (await api.GetAsync("/api/v1/repos/acme/entitlements", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, tokens.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/repos", """{"slug":"beta","name":"Beta","visiblity":"public"}""", "visiblity")]
    [InlineData("/api/v1/customers", """{"name":"Globex","emial":"a@globex.example"}""", "emial")]
    [InlineData("/api/v1/teams", """{"slug":"ops","name":"Ops","members":[]}""", "members")]
    public async Task Every_create_route_refuses_unknown_fields(string route, string body, string field)
    {
        var api = app.CreateApiClient();
        var before = await (await api.GetAsync(route, Ct)).ReadJsonAsync(HttpStatusCode.OK);

        var problem = await (await api.PostAsync(route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct))
            .AssertProblemAsync(400);

        Assert.Single(problem.ErrorsFor(field));
        var after = await (await api.GetAsync(route, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(before.GetProperty("total").GetInt32(), after.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Known_fields_in_any_letter_case_are_still_accepted()
    {
        var api = app.CreateApiClient();

        var response = await api.PostAsync("/api/v1/customers",
            new StringContent("""{"Name":"Initech","EMAIL":"it@initech.example"}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("it@initech.example", created.GetProperty("email").GetString());
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
