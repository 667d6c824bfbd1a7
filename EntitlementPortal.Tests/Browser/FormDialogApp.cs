using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Browser;

/// <summary>
/// The portal the form dialog journeys of one class share: a repository "acme" with a token "Acme CI" and a customer
/// "Acme Corp". Each test has a browser page of its own, and a test that saves something saves it under a name no
/// other test uses, so no test sees another's work.
/// </summary>
public sealed class FormDialogApp : IAsyncLifetime
{
    public ApiAppFactory App { get; } = new();

    /// <summary>The id of the token "Acme CI".</summary>
    public int TokenId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = App.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var token = await (await api.PostAsJsonAsync("/api/v1/repos/acme/entitlements", new { name = "Acme CI" }, ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        TokenId = token.GetProperty("id").GetInt32();
        (await api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme Corp" }, ct)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
