using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Packages;

/// <summary>An upload whose client stops sending halfway (a dropped connection), on a raw socket.</summary>
public sealed class UploadCutOffTests : IAsyncDisposable
{
    private const string Boundary = "cut-off-boundary";
    private readonly LogRecording logs = new();
    private readonly ApiAppFactory app;

    public UploadCutOffTests()
    {
        app = new ApiAppFactory { LoggerProviders = { logs } };
        // "Request finished" is the signal that the server is done with the request (there is no answer to wait for).
        app.Settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_cut_off_by_the_client_mid_file_stores_nothing(bool fieldsFirst)
    {
        var ct = TestContext.Current.CancellationToken;
        (await app.CreateApiClient().PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var fields = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nacme-agent\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1.0.0\r\n";
        var file = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n{new string('x', 200_000)}";
        var sent = Encoding.ASCII.GetBytes(fieldsFirst ? fields + file : file);
        var root = app.RootUri;

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(root.Host, root.Port, ct);
            var stream = tcp.GetStream();
            // Content-Length promises a megabyte more than the client sends before it hangs up.
            var head = $"POST /api/v1/repos/acme/packages HTTP/1.1\r\nHost: {root.Authority}\r\nX-Api-Key: {ApiAppFactory.AdminApiKey}\r\n"
                + $"Content-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {sent.Length + 1024 * 1024}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await stream.WriteAsync(sent, ct);
        }
        var finished = await logs.WaitForAsync(e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics"
            && e.Message.StartsWith("Request finished", StringComparison.Ordinal) && e.Message.Contains("/api/v1/repos/acme/packages", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), ct);

        Assert.DoesNotContain(" - 500 ", finished.Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Package>().CountAsync(ct)));
        var storage = app.Services.GetRequiredService<PackageStorage>();
        var blobs = Path.Combine(storage.Root, "sha256");
        Assert.Empty(Directory.Exists(blobs) ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories) : []);
        var temp = Path.Combine(storage.Root, "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.GetFiles(temp) : []);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
