using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// A real app on Kestrel with a private repository holding one uploaded file, driven over real HTTP: made per test by
/// <see cref="DownloadTestBase"/>, or shared by a class (a class fixture) whose tests each make their own tokens and
/// files, or only read.
/// </summary>
public sealed class DownloadApp : IAsyncLifetime
{
    public const string Repo = "acme";
    public const string Package = "acme-agent";
    public const string Version = "2.1.0";
    public const string Filename = "acme-agent-2.1.0.tar.gz";
    public static readonly byte[] Content = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();

    private readonly LogCapture writerLog = LogCapture.For<DownloadEventWriter>();

    public DownloadApp()
    {
        App.LoggerProviders.Add(writerLog);
    }

    /// <summary>Settings and logging providers go in before <see cref="InitializeAsync"/>.</summary>
    public ApiAppFactory App { get; } = new();
    public HttpClient Api { get; private set; } = default!;
    public HttpClient Anonymous { get; private set; } = default!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string FilePath => $"{Repo}/{Package}/{Version}/{Filename}";

    public async ValueTask InitializeAsync()
    {
        Api = App.CreateApiClient();
        Anonymous = App.CreateApiClient(apiKey: null);
        (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = Repo, name = "Acme" }, Ct)).EnsureSuccessStatusCode();
        await UploadAsync(Repo, Package, Version, Filename, Content, "stable");
    }

    public async Task UploadAsync(string repo, string package, string version, string filename, byte[] content, string tags = "")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(package), "name" },
            { new StringContent(version), "version" },
            { new StringContent(tags), "tags" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(file, "file", filename);
        var response = await Api.PostAsync($"/api/v1/repos/{repo}/packages", form, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    public async Task<(int Id, string Token)> CreateTokenAsync(object body, string repo = Repo)
    {
        var created = await (await Api.PostAsJsonAsync($"/api/v1/repos/{repo}/entitlements", body, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        return (created.GetProperty("id").GetInt32(), created.GetProperty("token").GetString()!);
    }

    public async Task<JsonElement> TokenAsync(int id) =>
        await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);

    public Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        configure?.Invoke(request);
        return Anonymous.SendAsync(request, Ct);
    }

    public static Action<HttpRequestMessage> Basic(string user, string password) => request =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>
    /// Events are written in the background: check the history each time the writer reports a stored batch, until
    /// the expected attempts are there (floods of 429s are one row standing for many, see FloodSummary) or the
    /// writer has been silent for 30 seconds; then the test's own assertions say what is missing.
    /// </summary>
    public async Task<List<DownloadEvent>> EventsAsync(int atLeast)
    {
        while (true)
        {
            var events = await App.WithDbAsync(db => db.Set<DownloadEvent>().AsNoTracking().OrderBy(e => e.Id).ToListAsync(Ct));
            if (events.Sum(e => e.Attempts) >= atLeast)
            {
                return events;
            }
            try
            {
                await writerLog.NextAsync(Ct);
            }
            catch (TimeoutException)
            {
                return events;
            }
        }
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
