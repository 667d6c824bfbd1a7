using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Api;

public sealed class CustomerApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private readonly HttpClient api = app.CreateApiClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> CreateAsync(object body) =>
        await (await api.PostAsJsonAsync("/api/v1/customers", body, Ct)).ReadJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Create_stores_every_contract_field_and_returns_metadata_as_an_object()
    {
        var created = await CreateAsync(new
        {
            name = "Acme Corp", email = "ops@acme.test", company = "Acme", externalRef = "cus_100", licenseKey = "LIC-1",
            plan = "gold", subscriptionEndsAt = "2027-08-01T00:00:00Z", notes = "VIP", metadata = new { licenseId = "L-123" },
        });

        var id = created.GetProperty("id").GetInt32();
        var fetched = await (await api.GetAsync($"/api/v1/customers/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", fetched.GetProperty("status").GetString());
        Assert.Equal("L-123", fetched.GetProperty("metadata").GetProperty("licenseId").GetString());
        Assert.Equal("2027-08-01T00:00:00Z", fetched.GetProperty("subscriptionEndsAt").GetString());
        Assert.Equal("cus_100", fetched.GetProperty("externalRef").GetString());
        Assert.False(fetched.TryGetProperty("metadataJson", out _));
        Assert.True(fetched.TryGetProperty("createdAt", out _));
    }

    [Theory]
    [InlineData("""{"name":"M","metadata":[1,2]}""", "metadata")]
    [InlineData("""{"name":"M","metadata":"text"}""", "metadata")]
    [InlineData("""{"name":"M","email":"not-an-email"}""", "email")]
    [InlineData("""{"email":"a@b.c"}""", "name")]
    public async Task Bad_fields_are_400_keyed_by_the_api_field_name(string body, string field)
    {
        var response = await api.PostAsync("/api/v1/customers", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        var problem = await response.AssertProblemAsync(400);
        Assert.NotEmpty(problem.ErrorsFor(field));
    }

    [Fact]
    public async Task Duplicate_external_reference_is_409()
    {
        await CreateAsync(new { name = "First", externalRef = "cus_dup" });

        var response = await api.PostAsJsonAsync("/api/v1/customers", new { name = "Second", externalRef = "cus_dup" }, Ct);

        var problem = await response.AssertProblemAsync(409);
        Assert.NotEmpty(problem.ErrorsFor("externalRef"));
    }

    [Fact]
    public async Task Patch_null_clears_a_field_and_leaves_the_rest()
    {
        var created = await CreateAsync(new { name = "Clearable", plan = "gold", metadata = new { a = 1 } });
        var id = created.GetProperty("id").GetInt32();

        var patched = await (await api.PatchAsync($"/api/v1/customers/{id}",
            new StringContent("""{"metadata":null,"notes":"hello"}""", System.Text.Encoding.UTF8, "application/json"), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, patched.GetProperty("metadata").ValueKind);
        Assert.Equal("hello", patched.GetProperty("notes").GetString());
        Assert.Equal("gold", patched.GetProperty("plan").GetString());
    }

    [Fact]
    public async Task Revoke_and_reinstate_change_the_status_and_are_audited()
    {
        var id = (await CreateAsync(new { name = "Lapsed" })).GetProperty("id").GetInt32();

        var revoked = await (await api.PostAsync($"/api/v1/customers/{id}/revoke", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        var reinstated = await (await api.PostAsync($"/api/v1/customers/{id}/reinstate", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", reinstated.GetProperty("status").GetString());

        var log = await (await api.GetAsync($"/api/v1/audit?entityType=customer&entityId={id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["reinstate", "revoke", "create"],
            log.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Unknown_customer_is_404_on_every_route()
    {
        await (await api.GetAsync("/api/v1/customers/999999", Ct)).AssertProblemAsync(404);
        await (await api.PatchJsonAsync("/api/v1/customers/999999", new { name = "x" })).AssertProblemAsync(404);
        await (await api.DeleteAsync("/api/v1/customers/999999", Ct)).AssertProblemAsync(404);
        await (await api.PostAsync("/api/v1/customers/999999/revoke", null, Ct)).AssertProblemAsync(404);
        await (await api.PostAsync("/api/v1/customers/999999/reinstate", null, Ct)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task List_searches_and_filters_by_status()
    {
        await CreateAsync(new { name = "Searchable Widgets", company = "Widgets Ltd" });
        var revokedId = (await CreateAsync(new { name = "Searchable Gadgets" })).GetProperty("id").GetInt32();
        await api.PostAsync($"/api/v1/customers/{revokedId}/revoke", null, Ct);

        var all = await (await api.GetAsync("/api/v1/customers?search=searchable", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        var revoked = await (await api.GetAsync("/api/v1/customers?search=searchable&status=revoked", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Searchable Gadgets", Assert.Single(revoked.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_status_filter_is_400_naming_the_allowed_values()
    {
        var problem = await (await api.GetAsync("/api/v1/customers?status=lapsed", Ct)).AssertProblemAsync(400);
        Assert.Contains("active, revoked", problem.ErrorsFor("status")[0]);
    }

    [Fact]
    public async Task Delete_removes_the_customer()
    {
        var id = (await CreateAsync(new { name = "Gone soon" })).GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/customers/{id}", Ct)).StatusCode);
        await (await api.GetAsync($"/api/v1/customers/{id}", Ct)).AssertProblemAsync(404);
    }
}
