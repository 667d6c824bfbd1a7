using System.Security.Cryptography;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenSecretProtectorTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly TokenSecretProtector protector;

    public TokenSecretProtectorTests()
    {
        services = database.BuildServices();
        protector = services.GetRequiredService<TokenSecretProtector>();
    }

    [Fact]
    public void Digest_is_stable_hex_and_does_not_contain_the_secret()
    {
        var secret = TokenSecret.Generate();

        var digest = protector.Digest(secret);

        Assert.Matches("^[0-9a-f]{64}$", digest);
        Assert.Equal(digest, protector.Digest(secret));
        Assert.NotEqual(digest, protector.Digest(secret + "x"));
        Assert.DoesNotContain(secret[4..], digest, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Digest_depends_on_the_installation_key_so_a_dump_cannot_be_brute_forced_elsewhere()
    {
        using var otherDatabase = new TestDatabase();
        using var otherServices = otherDatabase.BuildServices();

        var other = otherServices.GetRequiredService<TokenSecretProtector>();

        Assert.NotEqual(protector.Digest("acme-2026"), other.Digest("acme-2026"));
    }

    [Fact]
    public void Protected_copy_reveals_the_secret_and_hides_it_at_rest()
    {
        var secret = TokenSecret.Generate();

        var stored = protector.Protect(secret);

        Assert.DoesNotContain(secret, stored);
        Assert.DoesNotContain(secret[4..20], stored);
        Assert.Equal(secret, protector.Reveal(stored));
    }

    [Fact]
    public void Another_installation_cannot_reveal_a_protected_copy()
    {
        var stored = protector.Protect("acme-2026");
        using var otherDatabase = new TestDatabase();
        using var otherServices = otherDatabase.BuildServices();

        Assert.ThrowsAny<CryptographicException>(() => otherServices.GetRequiredService<TokenSecretProtector>().Reveal(stored));
    }

    [Fact]
    public void Tampered_ciphertext_is_refused()
    {
        var stored = protector.Protect("acme-2026").ToCharArray();
        stored[^5] = stored[^5] == 'A' ? 'B' : 'A';

        Assert.ThrowsAny<CryptographicException>(() => protector.Reveal(new string(stored)));
    }

    public void Dispose()
    {
        services.Dispose();
        database.Dispose();
    }
}
