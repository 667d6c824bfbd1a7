using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// Real nginx on 127.0.0.1 and a free port, running the shipped docs/nginx/entitlementportal.conf with only its
/// example values replaced (the instances, the storage root, TLS → plain HTTP), everything else of it (pid, logs,
/// temp files) in a temp folder. Missing nginx: <see cref="Require"/> skips locally and fails under CI=true.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string ShippedConfig = "docs/nginx/entitlementportal.conf";

    private readonly TempDirectory directory = new();
    private readonly string nginx;
    private Process? process;

    private NginxProxy(string nginx)
    {
        this.nginx = nginx;
    }

    public Uri RootUri { get; private set; } = default!;

    /// <summary>nginx from PATH or /usr/sbin (not on every user's PATH); null when it is not installed.</summary>
    public static string? Find() =>
        ExternalTool.Find("nginx") ?? (File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null);

    /// <summary>Skips the test (fails it under CI=true) when nginx is not installed.</summary>
    public static void Require()
    {
        if (Find() is null)
        {
            ExternalTool.Require("nginx");
        }
    }

    /// <summary>Starts nginx in front of <paramref name="app"/>, or returns null when nginx is not installed.</summary>
    public static async Task<NginxProxy?> StartAsync(Uri app, string storageRoot)
    {
        if (Find() is not { } path)
        {
            return null;
        }
        var proxy = new NginxProxy(path);
        await proxy.StartAsync($"127.0.0.1:{app.Port}", storageRoot);
        return proxy;
    }

    /// <summary>The shipped file with its example values replaced; each must be there, so the two never drift apart.</summary>
    public static string ConfigFor(string shipped, string instance, int port, string storageRoot)
    {
        var text = Replace(shipped, "10.0.0.11:8080", instance);
        text = Replace(text, "10.0.0.12:8080", instance);
        text = Replace(text, "listen 443 ssl;", $"listen 127.0.0.1:{port};");
        text = Replace(text, "alias /var/lib/entitlement-portal/packages/;", $"alias {storageRoot.TrimEnd('/')}/;");
        var lines = text.Split('\n').Where(line => !line.TrimStart().StartsWith("ssl_certificate", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }

    public static string ReadShippedConfig()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, ShippedConfig);
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }
        throw new FileNotFoundException($"{ShippedConfig} not found above {AppContext.BaseDirectory}.");
    }

    private static string Replace(string text, string example, string value)
    {
        Assert.True(text.Contains(example, StringComparison.Ordinal), $"{ShippedConfig} no longer contains '{example}'.");
        return text.Replace(example, value, StringComparison.Ordinal);
    }

    private async Task StartAsync(string instance, string storageRoot)
    {
        var port = FreePort();
        File.WriteAllText(directory.File("entitlementportal.conf"), ConfigFor(ReadShippedConfig(), instance, port, storageRoot));
        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(directory.File(temp));
        }
        // Workers run as the current user; as root nginx would switch them to nobody, who cannot read the temp folder.
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        File.WriteAllText(directory.File("nginx.conf"), $$"""
            {{user}}worker_processes 1;
            pid {{directory.File("nginx.pid")}};
            error_log {{directory.File("error.log")}};
            events { worker_connections 256; }
            http {
                access_log off;
                default_type application/octet-stream;
                client_body_temp_path {{directory.File("body")}};
                proxy_temp_path {{directory.File("proxy")}};
                fastcgi_temp_path {{directory.File("fastcgi")}};
                uwsgi_temp_path {{directory.File("uwsgi")}};
                scgi_temp_path {{directory.File("scgi")}};
                include {{directory.File("entitlementportal.conf")}};
            }
            """);

        // nginx binds its listening socket before it writes the pid file: once the file is there, it accepts.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(directory.Path, "nginx.pid") { EnableRaisingEvents = true };
        watcher.Created += (_, _) => started.TrySetResult();
        watcher.Changed += (_, _) => started.TrySetResult();

        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in Arguments("-g", "daemon off;"))
        {
            start.ArgumentList.Add(argument);
        }
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException(
            $"nginx exited at start:\n{process.StandardError.ReadToEnd()}\n{ErrorLog()}"));
        process.Start();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        RootUri = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>What nginx logged (for failure messages).</summary>
    public string ErrorLog() => File.Exists(directory.File("error.log")) ? File.ReadAllText(directory.File("error.log")) : "";

    private string[] Arguments(params string[] more) =>
        ["-c", directory.File("nginx.conf"), "-p", directory.Path + "/", "-e", directory.File("error.log"), .. more];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            // A fast shutdown through the master, which stops its workers and then exits.
            await ExternalTool.RunAsync(nginx, Arguments("-s", "stop"), directory.Path, timeout: TimeSpan.FromSeconds(30));
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process?.Dispose();
        directory.Dispose();
    }
}
