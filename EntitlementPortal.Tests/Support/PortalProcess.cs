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
