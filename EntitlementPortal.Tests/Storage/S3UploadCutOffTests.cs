using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Storage;

/// <summary>An upload into the bucket whose client hangs up after more than one multipart part.</summary>
public sealed class S3UploadCutOffTests : IClassFixture<S3Server>, IAsyncDisposable
{
    private const string Boundary = "cut-off-boundary";
    private readonly LogRecording logs = new();
    private readonly ApiAppFactory app;
    private readonly S3Server s3;

    public S3UploadCutOffTests(S3Server s3)
    {
        this.s3 = s3;
        app = new ApiAppFactory { LoggerProviders = { logs } };
        foreach (var (key, value) in s3.StorageSettings())
        {
            app.Settings[key] = value;
        }
        // "Request finished" is the signal that the server is done with the request (there is no answer to wait for).
        app.Settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
    }

    [Fact]
    public async Task An_upload_cut_off_mid_body_leaves_no_object_in_the_bucket()
    {
        s3.Require();
        var ct = TestContext.Current.CancellationToken;
        (await app.CreateApiClient().PostAsJsonAsync("/api/v1/repos", new { slug = "acme", name = "Acme" }, ct)).EnsureSuccessStatusCode();
        var fields = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nacme-agent\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1.0.0\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n";
        var root = app.RootUri;
        var partsBefore = s3.RequestLog.Count(line => line.Contains("Stored part ", StringComparison.Ordinal));

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(root.Host, root.Port, ct);
            var stream = tcp.GetStream();
            var body = 10 * 1024 * 1024;
            var head = $"POST /api/v1/repos/acme/packages HTTP/1.1\r\nHost: {root.Authority}\r\nX-Api-Key: {ApiAppFactory.AdminApiKey}\r\n"
                + $"Content-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {fields.Length + body + 1024 * 1024}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + fields), ct);
            // More than one 8 MiB part, then the client hangs up.
            var chunk = new byte[1024 * 1024];
            for (var sent = 0; sent < body; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk, ct);
            }
        }
        var finished = await logs.WaitForAsync(e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics"
            && e.Message.StartsWith("Request finished", StringComparison.Ordinal) && e.Message.Contains("/api/v1/repos/acme/packages", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), ct);

        Assert.DoesNotContain(" - 500 ", finished.Message, StringComparison.Ordinal);
        Assert.True(s3.RequestLog.Count(line => line.Contains("Stored part ", StringComparison.Ordinal)) > partsBefore, "The cut-off came before the first part.");
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Package>().CountAsync(ct)));
        Assert.Empty(s3.ObjectKeys("sha256/"));
        var storage = app.Services.GetRequiredService<PackageStorage>();
        await storage.Store.SweepAsync(TimeSpan.Zero, ct);
        Assert.Empty(s3.ObjectKeys());
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
