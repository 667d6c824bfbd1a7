using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads.Offload;

/// <summary>
/// A <see cref="DownloadApp"/> with <c>Downloads:Offload=XAccelRedirect</c> on real Kestrel, behind real nginx
/// running the shipped configuration, with one larger file of random bytes besides the app's own.
/// </summary>
public sealed class NginxOffloadApp : IAsyncLifetime
{
    public const string LargePackage = "acme-big";
    public const string LargeFilename = "acme-big-1.0.0.bin";
    public static readonly byte[] LargeContent = RandomContent(3 * 1024 * 1024 + 17);

    public NginxOffloadApp()
    {
        Download.App.Settings["Downloads:Offload"] = "xaccelredirect";
        Download.App.Settings["ReverseProxy:TrustedProxies:0"] = "127.0.0.1";
    }

    public DownloadApp Download { get; } = new();

    /// <summary>Null when nginx is not installed: tests call <see cref="NginxProxy.Require"/> first.</summary>
    public NginxProxy? Nginx { get; private set; }

    public HttpClient ThroughNginx { get; private set; } = default!;

    public static string LargePath => $"{DownloadApp.Repo}/{LargePackage}/1.0.0/{LargeFilename}";

    public async ValueTask InitializeAsync()
    {
        await Download.InitializeAsync();
        await Download.UploadAsync(DownloadApp.Repo, LargePackage, "1.0.0", LargeFilename, LargeContent);
        var storage = Download.App.Services.GetRequiredService<PackageStorage>();
        Nginx = await NginxProxy.StartAsync(Download.App.RootUri, storage.Root);
        ThroughNginx = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = Nginx?.RootUri ?? new Uri("http://127.0.0.1:9"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        ThroughNginx?.Dispose();
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }
        await Download.DisposeAsync();
    }

    private static byte[] RandomContent(int length)
    {
        var bytes = new byte[length];
        new Random(20261204).NextBytes(bytes);
        return bytes;
    }
}
