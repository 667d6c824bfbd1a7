using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Hosting;

/// <summary>An operator's mistake at start-up gets one readable line and a non-zero exit, not a stack trace.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly TempDirectory directory = new();

    private Task<PortalProcess.Result> RunAsync(params (string Key, string Value)[] environment) =>
        PortalProcess.RunUntilExitAsync(
            environment.ToDictionary(e => e.Key, e => e.Value), TimeSpan.FromSeconds(90), directory.Path);

    private static void AssertOneLineFailure(PortalProcess.Result result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("EntitlementPortal cannot start: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Unknown_database_provider_exits_with_one_clear_line()
    {
        var result = await RunAsync(("Database__Provider", "Oracle"));
        AssertOneLineFailure(result, "Database:Provider 'Oracle' is not supported");
    }

    [Fact]
    public async Task Unreachable_sqlite_database_exits_with_one_clear_line()
    {
        var blocker = directory.File("not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the database folder should be", TestContext.Current.CancellationToken);

        var result = await RunAsync(("ConnectionStrings__Default", $"Data Source={blocker}/portal.db"));

        // Whichever file beside the database is touched first (key file or database folder) reports it.
        AssertOneLineFailure(result, blocker);
    }

    [Fact]
    public async Task Unreachable_postgresql_server_exits_with_one_clear_line()
    {
        using var nobody = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        nobody.Start();
        var closedPort = ((System.Net.IPEndPoint)nobody.LocalEndpoint).Port;
        nobody.Stop();

        var result = await RunAsync(
            ("Database__Provider", "PostgreSql"),
            ("ConnectionStrings__Default", $"Host=127.0.0.1;Port={closedPort};Username=portal;Password=secret-password;Database=portal;Timeout=5"),
            ("Secrets__MasterKey", EntitlementPortal.Security.MasterKey.NewKeyText()));

        AssertOneLineFailure(result, "the PostgreSql database could not be opened or migrated");
        Assert.DoesNotContain("secret-password", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Bootstrap_administrator_with_a_weak_password_exits_with_one_clear_line()
    {
        var result = await RunAsync(
            ("ConnectionStrings__Default", $"Data Source={directory.File("portal.db")}"),
            ("Bootstrap__AdminEmail", "ops@example.com"),
            ("Bootstrap__AdminPassword", "short"));

        AssertOneLineFailure(result, "Bootstrap:AdminEmail/AdminPassword were refused");
    }

    [Fact]
    public async Task Bootstrap_api_key_that_is_too_short_exits_with_one_clear_line()
    {
        var result = await RunAsync(
            ("ConnectionStrings__Default", $"Data Source={directory.File("portal.db")}"),
            ("Bootstrap__AdminEmail", "ops@example.com"),
            ("Bootstrap__AdminPassword", "B00tstrap-secret!"),
            ("Bootstrap__AdminApiKey", "too-short"));

        AssertOneLineFailure(result, "Bootstrap:AdminApiKey must be 32");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("lots")]
    public async Task An_invalid_plan_allowance_exits_with_one_clear_line(string value)
    {
        var result = await RunAsync(("Plan__MaxActiveTokens", value));
        AssertOneLineFailure(result, $"Plan:MaxActiveTokens '{value}' is not valid");
    }

    [Theory]
    [InlineData("Webhooks__PollInterval", "00:00:00", "Webhooks:PollInterval must be positive.")]
    [InlineData("Webhooks__FirstRetryDelay", "-00:00:01", "Webhooks:FirstRetryDelay must be positive.")]
    public async Task A_setting_refused_by_its_options_rules_exits_with_one_clear_line(string key, string value, string expected)
    {
        var result = await RunAsync((key, value));
        AssertOneLineFailure(result, expected);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("00:00:00")]
    [InlineData("02:00:00")]
    [InlineData("-00:01:00")]
    public async Task A_reset_check_interval_out_of_bounds_or_not_a_time_span_exits_with_one_clear_line(string value)
    {
        var result = await RunAsync(("Tokens__ResetCheckInterval", value));
        AssertOneLineFailure(result, $"Tokens:ResetCheckInterval '{value}' is not valid; use a time span from 00:00:01 to 01:00:00");
    }

    [Fact]
    public async Task An_invalid_failed_attempt_limit_exits_with_one_clear_line()
    {
        var result = await RunAsync(("Downloads__FailedAttemptsPerMinute", "0"));
        AssertOneLineFailure(result, "Downloads:FailedAttemptsPerMinute '0' is not valid");
    }

    [Theory]
    [InlineData("FailedPasswordsPerUserName", "0")]
    [InlineData("UserNameWindowSeconds", "five minutes")]
    public async Task An_invalid_user_name_pause_setting_exits_with_one_clear_line(string setting, string value)
    {
        var result = await RunAsync(($"Downloads__{setting}", value));
        AssertOneLineFailure(result, $"Downloads:{setting} '{value}' is not valid");
    }

    [Theory]
    [InlineData("ContentCacheBytes", "-1")]
    [InlineData("ContentCacheBytes", "64MB")]
    [InlineData("FailedPasswordsPerUserName", "3000000000")]
    public async Task An_invalid_content_cache_size_or_a_count_too_large_exits_with_one_clear_line(string setting, string value)
    {
        var result = await RunAsync(($"Downloads__{setting}", value));
        AssertOneLineFailure(result, $"Downloads:{setting} '{value}' is not valid");
    }

    public void Dispose() => directory.Dispose();
}
