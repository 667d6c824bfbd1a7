using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Security;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Security;

/// <summary>The app's real Data Protection set-up: keys in the database, encrypted under the master key.</summary>
public sealed class KeyRingAtRestTests
{
    [Fact]
    public async Task Key_ring_rows_hold_only_ciphertext()
    {
        await using var app = new PortalAppFactory();
        var secret = TokenSecret.Generate();
        app.Services.GetRequiredService<TokenSecretProtector>().Protect(secret);

        var rows = await app.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());

        var xml = Assert.Single(rows);
        Assert.Contains("encryptedKey", xml);
        Assert.Contains(nameof(MasterKeyXmlDecryptor), xml);
        Assert.DoesNotContain("<masterKey", xml);
    }

    [Fact]
    public async Task Secrets_survive_a_restart_with_the_same_database_and_key_file()
    {
        using var directory = new TempDirectory();
        var connection = $"Data Source={directory.File("portal.db")}";
        string stored;
        await using (var first = new PortalAppFactory { Settings = { ["ConnectionStrings:Default"] = connection } })
        {
            stored = first.Services.GetRequiredService<TokenSecretProtector>().Protect("acme-2026");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var second = new PortalAppFactory { Settings = { ["ConnectionStrings:Default"] = connection } };

        Assert.Equal("acme-2026", second.Services.GetRequiredService<TokenSecretProtector>().Reveal(stored));
        Assert.True(File.Exists(directory.File(MasterKey.FileName)));
    }
}
