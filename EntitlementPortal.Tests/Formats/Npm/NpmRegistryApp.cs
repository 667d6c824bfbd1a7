using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Formats.Npm;

/// <summary>
/// The real app on Kestrel with one private repository, shared by a test class whose tests each publish their own
/// package names and make their own tokens. Addresses use 127.0.0.1 (what npm keys its credentials by).
/// </summary>
public sealed class NpmRegistryApp : IAsyncLifetime
{
    public const string Repo = "acme";

    public ApiAppFactory App { get; } = new();
    public HttpClient Api { get; private set; } = default!;
    public HttpClient Anonymous { get; private set; } = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>http://127.0.0.1:PORT (no trailing slash).</summary>
    public string Root => new UriBuilder(App.RootUri) { Host = "127.0.0.1" }.Uri.GetLeftPart(UriPartial.Authority);

    public string PublishRegistry => $"{Root}/api/v1/repos/{Repo}/npm/";

    public string TokenRegistry(string token) => $"{Root}/dl/{token}/{Repo}/npm/";

    public string BasicRegistry => $"{Root}/dl/basic/{Repo}/npm/";

    public async ValueTask InitializeAsync()
    {
        Api = App.CreateApiClient();
        Anonymous = App.CreateApiClient(apiKey: null);
        (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = Repo, name = "Acme" }, Ct)).EnsureSuccessStatusCode();
    }

    /// <summary>PUTs npm's publish document as npm does (Bearer key, scoped names with the slash encoded).</summary>
    public async Task<HttpResponseMessage> PublishAsync(string name, string body, string? apiKey = ApiAppFactory.AdminApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/repos/{Repo}/npm/{name.Replace("/", "%2f")}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return await Anonymous.SendAsync(request, Ct);
    }

    public async Task PublishOkAsync(string name, string version, byte[]? tarball = null, params string[] tags)
    {
        var response = await PublishAsync(name, NpmTestPackages.PublishBody(name, version, tarball ?? NpmTestPackages.Package(name, version), tags));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    public async Task<(int Id, string Token)> CreateTokenAsync(object body)
    {
        var created = await (await Api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", body, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetInt32(), created.GetProperty("token").GetString()!);
    }

    public async Task<long> DownloadsOfAsync(int tokenId) =>
        (await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{tokenId}", Ct)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("downloads").GetInt64();

    public Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        return Anonymous.SendAsync(request, Ct);
    }

    public static Action<HttpRequestMessage> Basic(string token) => request =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"token:{token}")));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
