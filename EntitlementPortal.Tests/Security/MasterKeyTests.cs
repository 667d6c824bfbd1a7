using EntitlementPortal.Hosting;
using EntitlementPortal.Security;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EntitlementPortal.Tests.Security;

public sealed class MasterKeyTests : IDisposable
{
    private readonly TempDirectory directory = new();

    private static IConfiguration Config(string? key = null) => new ConfigurationBuilder()
        .AddInMemoryCollection(key is null ? [] : [new KeyValuePair<string, string?>(MasterKey.ConfigurationKey, key)])
        .Build();

    [Fact]
    public void First_start_creates_a_key_file_only_the_owner_can_read_and_later_starts_reuse_it()
    {
        var first = MasterKey.Load(Config(), directory.Path);
        var second = MasterKey.Load(Config(), directory.Path);

        var path = directory.File(MasterKey.FileName);
        Assert.Equal(path, first.Source);
        Assert.Equal(first.Derive("purpose"), second.Derive("purpose"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Configured_key_wins_over_the_file_and_different_keys_derive_different_subkeys()
    {
        var text = MasterKey.NewKeyText();
        var configured = MasterKey.Load(Config(text), directory.Path);
        var fromFile = MasterKey.Load(Config(), directory.Path);

        Assert.Equal("configuration", configured.Source);
        Assert.NotEqual(configured.Derive("purpose"), fromFile.Derive("purpose"));
        Assert.NotEqual(configured.Derive("one"), configured.Derive("two"));
        Assert.Equal(32, configured.Derive("one").Length);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_bad_configured_key_is_a_clear_startup_error(string key)
    {
        var error = Assert.Throws<StartupFailedException>(() => MasterKey.Load(Config(key), directory.Path));
        Assert.Contains("master key", error.Message);
    }

    [Fact]
    public void A_damaged_key_file_is_a_clear_startup_error_and_is_not_overwritten()
    {
        var path = directory.File(MasterKey.FileName);
        File.WriteAllText(path, "damaged");

        Assert.Throws<StartupFailedException>(() => MasterKey.Load(Config(), directory.Path));
        Assert.Equal("damaged", File.ReadAllText(path));
    }

    public void Dispose() => directory.Dispose();
}
