using System.Diagnostics;

namespace EntitlementPortal.Tests.Support;

/// <summary>Runs the built portal as its own process, the way an operator starts it, and captures its output.</summary>
public static class PortalProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static string AppAssemblyPath
    {
        get
        {
            // The tests' output folder mirrors the app's: .../EntitlementPortal.Tests/bin/<cfg>/<tfm>/
            var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var framework = Path.GetFileName(testOutput);
            var configuration = Path.GetFileName(Path.GetDirectoryName(testOutput))!;
            var solution = FindSolutionDirectory(testOutput);
            return Path.Combine(solution, "EntitlementPortal", "bin", configuration, framework, "EntitlementPortal.dll");
        }
    }

    public static Task<Result> RunUntilExitAsync(
        IDictionary<string, string> environment, TimeSpan timeout, string workingDirectory) =>
        RunUntilExitAsync(["--urls", "http://127.0.0.1:0"], environment, timeout, workingDirectory);

    /// <summary>Runs the portal with these command-line arguments (a command such as seed-demo, or host settings).</summary>
    public static async Task<Result> RunUntilExitAsync(
        IReadOnlyList<string> arguments, IDictionary<string, string> environment, TimeSpan timeout, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet", [AppAssemblyPath, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The portal was still running after {timeout}.");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Starts the portal on 127.0.0.1 and a free port and waits until <c>/healthz/ready</c> passes: one instance of
    /// several behind a load balancer. Disposing it stops the process.
    /// </summary>
    public static async Task<RunningPortal> StartAsync(IDictionary<string, string> environment, string workingDirectory)
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = new ProcessStartInfo("dotnet", [AppAssemblyPath, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var portal = new RunningPortal(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        await portal.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return portal;
    }

    internal static string FindSolutionDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EntitlementPortal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("EntitlementPortal.sln not found above " + start);
    }
}

/// <summary>A portal process started by <see cref="PortalProcess.StartAsync"/>; its output is kept for failure messages.</summary>
public sealed class RunningPortal : IAsyncDisposable
{
    private readonly Process process;
    private const string StartedLine = "Application started.";
    private readonly System.Text.StringBuilder output = new();
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> lines = [];
    private readonly List<(string Text, int Count, TaskCompletionSource Reached)> lineWaiters = [];

    internal RunningPortal(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
            lines.Add(line);
            foreach (var waiter in lineWaiters.Where(w => CountLocked(w.Text) >= w.Count).ToList())
            {
                lineWaiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
        if (line.Contains(StartedLine, StringComparison.Ordinal))
        {
            started.TrySetResult();
        }
    }

    /// <summary>The output lines so far that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> LinesContaining(string text)
    {
        lock (output)
        {
            return lines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>Completes once the output holds <paramref name="count"/> lines that contain <paramref name="text"/>.</summary>
    public Task WaitForLinesAsync(string text, int count, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            if (CountLocked(text) >= count)
            {
                return Task.CompletedTask;
            }
            lineWaiters.Add((text, count, reached));
        }
        return reached.Task.WaitAsync(timeout).ContinueWith(t =>
        {
            if (!t.IsCompletedSuccessfully)
            {
                throw new TimeoutException($"Waited {timeout} for {count} lines with '{text}' from the portal at {Address}:\n{Output}");
            }
        }, TaskScheduler.Default);
    }

    private int CountLocked(string text) => lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    internal async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        // The host logs this line once Kestrel listens, after migrations and start-up checks have run; a crash or
        // a start-up failure ends the process instead, so whichever comes first decides.
        var startedOrExited = await Task.WhenAny(started.Task, process.WaitForExitAsync()).WaitAsync(timeout)
            .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        if (!startedOrExited)
        {
            throw new TimeoutException($"The portal at {Address} did not start within {timeout}:\n{Output}");
        }
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The portal exited with {process.ExitCode}:\n{Output}");
        }
        // What a load balancer asks before it sends traffic: a started instance must answer ready at once.
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        var response = await client.GetAsync("/healthz/ready");
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The portal at {Address} started but /healthz/ready answered {(int)response.StatusCode}:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
