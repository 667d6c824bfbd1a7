using System.Diagnostics;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// The commands the token and package pages offer, run as a customer would paste them (curl and wget through
/// bash) against the real app: they fetch the exact file, and a refusal shows the portal's reason.
/// </summary>
public sealed class DownloadCommandClientTests : DownloadTestBase
{
    private readonly TempDirectory workingDirectory = new();

    private static readonly DownloadableFile File = new(Package, Version, Filename, Content.Length);

    private string Root => App.RootUri.ToString();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        workingDirectory.Dispose();
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = workingDirectory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    private string Downloaded => Path.Combine(workingDirectory.Path, Filename);

    [Fact]
    public async Task The_curl_command_downloads_the_file_and_a_refusal_prints_the_reason()
    {
        var (id, token) = await CreateTokenAsync(new { name = "Acme CI" });

        var served = await RunAsync(DownloadCommand.Curl(Root, token, Repo, File));

        Assert.True(served.ExitCode == 0, served.Output);
        Assert.Equal(Content, await System.IO.File.ReadAllBytesAsync(Downloaded, Ct));

        (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();
        var refused = await RunAsync(DownloadCommand.Curl(Root, token, Repo, File));

        Assert.Equal(22, refused.ExitCode);
        // What --fail-with-body is for: the problem detail is kept (in the -o file) where plain -f would drop it.
        var problem = await System.IO.File.ReadAllTextAsync(Downloaded, Ct);
        Assert.Contains("\"status\":403", problem, StringComparison.Ordinal);
        Assert.Contains("disabled", problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_wget_command_downloads_the_file()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Acme CI" });

        var served = await RunAsync(DownloadCommand.Wget(Root, token, Repo, File));

        Assert.True(served.ExitCode == 0, served.Output);
        Assert.Equal(Content, await System.IO.File.ReadAllBytesAsync(Downloaded, Ct));
    }

    [Fact]
    public async Task The_url_serves_the_file_with_the_token_in_the_path()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Acme CI" });

        var response = await GetAsync(DownloadCommand.Url(Root, token, Repo, File));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync(Ct));
    }
}
