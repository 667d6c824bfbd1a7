using EntitlementPortal.Cli;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class LoginCommandTests(DownloadApp portal) : IDisposable
{
    private readonly CliRunner ep = new(portal);

    private string ConfigPath => Path.Combine(ep.Home, "config", "ep", "config.json");

    [Fact]
    public async Task Login_checks_the_key_stores_it_for_the_owner_only_and_later_commands_use_it()
    {
        var login = await ep.RunWithStoredLoginAsync("login", "--url", ep.PortalUrl, "--api-key", ApiAppFactory.AdminApiKey);

        login.AssertOk();
        Assert.Contains(ConfigPath, login.Output);
        Assert.Contains(ApiAppFactory.AdminApiKey, await File.ReadAllTextAsync(ConfigPath, TestContext.Current.CancellationToken));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        }
        (await ep.RunWithStoredLoginAsync("repos", "list")).AssertOk();
    }

    [Fact]
    public async Task At_a_terminal_login_asks_for_the_key_and_in_a_script_it_must_be_given()
    {
        (await ep.RunWithStoredLoginAsync("login", "--url", ep.PortalUrl)).AssertFailed(ExitCodes.Usage, "--api-key");

        ep.Interactive = true;
        ep.Answers.Enqueue(ApiAppFactory.AdminApiKey);
        var login = await ep.RunWithStoredLoginAsync("login", "--url", ep.PortalUrl);

        login.AssertOk();
        Assert.Contains("API key: ", login.Error);
        Assert.DoesNotContain(ApiAppFactory.AdminApiKey, login.Error + login.Output);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_with_the_portals_detail_and_nothing_is_stored()
    {
        var login = await ep.RunWithStoredLoginAsync("login", "--url", ep.PortalUrl, "--api-key", "not-a-real-key-0123456789");

        login.AssertFailed(ExitCodes.Refused, "valid API key");
        Assert.Contains("401", login.Error);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task An_unreachable_portal_is_exit_code_3()
    {
        var login = await ep.RunWithStoredLoginAsync("login", "--url", "http://127.0.0.1:1", "--api-key", "whatever-key");

        login.AssertFailed(ExitCodes.Unreachable, "Cannot reach the portal");
    }

    [Fact]
    public async Task A_portal_that_accepts_but_never_answers_is_exit_code_3_after_EP_TIMEOUT()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        ep.Variables["EP_URL"] = $"http://127.0.0.1:{port}";
        ep.Variables["EP_TIMEOUT"] = "1";

        (await ep.RunAsync("repos", "list")).AssertFailed(ExitCodes.Unreachable, "did not answer within 1 s");
    }

    [Fact]
    public async Task Without_a_login_or_the_variables_a_command_says_how_to_log_in()
    {
        (await ep.RunWithStoredLoginAsync("tokens", "list", "acme")).AssertFailed(ExitCodes.Usage, "ep login");
    }

    [Fact]
    public async Task EP_API_KEY_overrides_the_stored_key()
    {
        (await ep.RunWithStoredLoginAsync("login", "--url", ep.PortalUrl, "--api-key", ApiAppFactory.AdminApiKey)).AssertOk();
        ep.Variables["EP_API_KEY"] = "overridden-wrong-key-0123456789";

        (await ep.RunWithStoredLoginAsync("repos", "list")).AssertFailed(ExitCodes.Refused, "401");
    }

    [Fact]
    public async Task A_malformed_url_is_a_usage_error()
    {
        (await ep.RunWithStoredLoginAsync("login", "--url", "portal.example.com", "--api-key", "k")).AssertFailed(ExitCodes.Usage, "not a portal URL");
    }

    public void Dispose() => ep.Dispose();
}
