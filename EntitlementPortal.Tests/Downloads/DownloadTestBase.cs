using System.Text.Json;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>A <see cref="DownloadApp"/> of its own for every test: for tests that change what other tests would see.</summary>
public abstract class DownloadTestBase : IAsyncLifetime
{
    protected const string Repo = DownloadApp.Repo;
    protected const string Package = DownloadApp.Package;
    protected const string Version = DownloadApp.Version;
    protected const string Filename = DownloadApp.Filename;
    protected static readonly byte[] Content = DownloadApp.Content;

    private readonly DownloadApp download = new();

    protected DownloadTestBase(Dictionary<string, string?>? settings = null)
    {
        foreach (var (key, value) in settings ?? [])
        {
            App.Settings[key] = value;
        }
    }

    protected ApiAppFactory App => download.App;
    protected HttpClient Api => download.Api;
    protected HttpClient Anonymous => download.Anonymous;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string FilePath => DownloadApp.FilePath;

    public virtual ValueTask InitializeAsync() => download.InitializeAsync();

    protected Task UploadAsync(string repo, string package, string version, string filename, byte[] content, string tags = "") =>
        download.UploadAsync(repo, package, version, filename, content, tags);

    protected Task<(int Id, string Token)> CreateTokenAsync(object body, string repo = Repo) => download.CreateTokenAsync(body, repo);

    protected Task<JsonElement> TokenAsync(int id) => download.TokenAsync(id);

    protected Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null, HttpMethod? method = null) =>
        download.GetAsync(path, configure, method);

    protected static Action<HttpRequestMessage> Basic(string user, string password) => DownloadApp.Basic(user, password);

    /// <inheritdoc cref="DownloadApp.EventsAsync"/>
    protected Task<List<DownloadEvent>> EventsAsync(int atLeast) => download.EventsAsync(atLeast);

    public virtual async ValueTask DisposeAsync()
    {
        await download.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
