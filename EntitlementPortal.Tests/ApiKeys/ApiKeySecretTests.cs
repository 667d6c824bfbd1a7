using System.Text.RegularExpressions;
using EntitlementPortal.Features.ApiKeys;

namespace EntitlementPortal.Tests.ApiKeys;

public sealed partial class ApiKeySecretTests
{
    [Fact]
    public void A_generated_secret_is_epk_and_43_url_safe_characters()
    {
        var secret = ApiKeySecret.Generate();

        Assert.Matches(Format(), secret);
        Assert.Equal(4 + 43, secret.Length);
    }

    [Fact]
    public void A_thousand_generated_secrets_are_all_different()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => ApiKeySecret.Generate()).ToList();

        Assert.All(secrets, s => Assert.Matches(Format(), s));
        Assert.Equal(1000, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_hash_is_a_deterministic_sha256_in_64_lowercase_hex_characters()
    {
        var secret = ApiKeySecret.Generate();

        var hash = ApiKeySecret.Hash(secret);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, ApiKeySecret.Hash(secret));
        Assert.NotEqual(hash, ApiKeySecret.Hash(ApiKeySecret.Generate()));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeySecret.Hash("abc"));
    }

    [Fact]
    public void The_prefix_is_the_marker_and_the_first_random_characters()
    {
        var secret = ApiKeySecret.Generate();

        var prefix = ApiKeySecret.PrefixOf(secret);

        Assert.Equal(ApiKeySecret.PrefixLength, prefix.Length);
        Assert.StartsWith("epk_", prefix);
        Assert.Equal(secret[..12], prefix);
        Assert.Equal("epk_short", ApiKeySecret.PrefixOf("epk_short"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("epk_tooshort")]
    [InlineData("                                        ")]
    [InlineData("epk_AAAAAAAAAAAAAAAA BBBBBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("epk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n")]
    public void Implausible_keys_are_refused_before_any_look_up(string? presented)
    {
        Assert.False(ApiKeySecret.IsPlausible(presented));
    }

    [Fact]
    public void Keys_longer_than_512_characters_are_refused()
    {
        Assert.True(ApiKeySecret.IsPlausible(new string('a', 512)));
        Assert.False(ApiKeySecret.IsPlausible(new string('a', 513)));
    }

    [Fact]
    public void Generated_keys_and_keys_at_the_minimum_length_are_plausible()
    {
        Assert.True(ApiKeySecret.IsPlausible(ApiKeySecret.Generate()));
        Assert.True(ApiKeySecret.IsPlausible(new string('k', ApiKeySecret.MinimumLength)));
        Assert.False(ApiKeySecret.IsPlausible(new string('k', ApiKeySecret.MinimumLength - 1)));
    }

    [GeneratedRegex("^epk_[A-Za-z0-9_-]{43}$")]
    private static partial Regex Format();
}
