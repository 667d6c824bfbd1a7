using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// A real S3-compatible server for the storage tests: the npm package s3rver (pinned in EntitlementPortal.Tests/npm,
/// installed by ./test.sh with npm ci) on 127.0.0.1 and a free port, over a temp folder, with one bucket. Missing
/// node or s3rver skips the tests locally and fails them under CI=true. Its request log is kept, so a test can see
/// which requests the portal sent (multipart parts, aborts).
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Bucket = "packages";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private const string Script = "EntitlementPortal.Tests/npm/node_modules/s3rver/bin/s3rver.js";

    private readonly TempDirectory directory = new();
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;
    private bool started;

    public Uri ServiceUrl { get; private set; } = default!;

    /// <summary>s3rver's request log lines, as they came.</summary>
    public ConcurrentQueue<string> RequestLog { get; } = new();

    /// <summary>Where s3rver keeps the bucket's objects and its incomplete multipart uploads.</summary>
    public string BucketDirectory => Path.Combine(directory.Path, Bucket);

    public async ValueTask InitializeAsync()
    {
        var node = ExternalTool.Find("node");
        var script = Path.Combine(RepositoryRoot(), Script);
        if (node is null || !File.Exists(script))
        {
            var message = $"S3 storage tests need node and {Script}; run ./test.sh, or `npm ci --prefix EntitlementPortal.Tests/npm`.";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(message);
            }
            return;
        }
        var port = FreePort();
        ServiceUrl = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "--directory", directory.Path, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", Bucket, "--no-vhost-buckets" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("s3rver exited before it listened."));
        process.EnableRaisingEvents = true;
        process.Start();
        started = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Skips (or under CI fails) a test when there is no server.</summary>
    public void Require()
    {
        if (!started)
        {
            Assert.Skip("node or s3rver is not installed; ./test.sh installs them.");
        }
    }

    /// <summary>The app settings that put package storage into this server's bucket.</summary>
    public Dictionary<string, string?> StorageSettings() => new()
    {
        ["Storage:Provider"] = "S3",
        ["Storage:S3:Bucket"] = Bucket,
        ["Storage:S3:ServiceUrl"] = ServiceUrl?.ToString() ?? "http://127.0.0.1:9",
        ["Storage:S3:Region"] = "us-east-1",
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:AccessKey"] = AccessKey,
        ["Storage:S3:SecretKey"] = SecretKey,
    };

    /// <summary>The stored objects' keys (s3rver keeps each object as a file ending in <c>._S3rver_object</c>).</summary>
    public IReadOnlyList<string> ObjectKeys(string prefix = "") =>
        Directory.Exists(BucketDirectory)
            ? Directory.GetFiles(BucketDirectory, "*._S3rver_object", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(BucketDirectory, f).Replace('\\', '/')[..^"._S3rver_object".Length])
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Incomplete multipart uploads s3rver keeps (a folder per upload).</summary>
    public IReadOnlyList<string> IncompleteUploads()
    {
        var uploads = Directory.Exists(BucketDirectory)
            ? Directory.GetDirectories(BucketDirectory, "*", SearchOption.AllDirectories).Where(d => d.EndsWith("_S3rver_uploads", StringComparison.Ordinal))
            : [];
        return uploads.SelectMany(Directory.GetDirectories).ToList();
    }

    /// <summary>Stops the server and removes its folder; a test may call it early to take the store away.</summary>
    public async ValueTask DisposeAsync()
    {
        if (process is { } running)
        {
            process = null;
            if (!running.HasExited)
            {
                running.Kill(entireProcessTree: true);
                await running.WaitForExitAsync();
            }
            running.Dispose();
            directory.Dispose();
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        RequestLog.Enqueue(line);
        if (line.Contains("listening", StringComparison.OrdinalIgnoreCase))
        {
            listening.TrySetResult();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EntitlementPortal.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("EntitlementPortal.sln not found above the test output.");
    }
}
