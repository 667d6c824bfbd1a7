using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenSecretTests
{
    [Fact]
    public void Generated_secret_has_the_prefix_length_and_only_url_safe_characters()
    {
        var secret = TokenSecret.Generate();

        Assert.StartsWith("ent_", secret);
        Assert.Equal(TokenSecret.GeneratedLength, secret.Length);
        Assert.Matches("^ent_[0-9A-Za-z]{30}$", secret);
        Assert.Equal(secret, Uri.EscapeDataString(secret));
    }

    [Fact]
    public void Generated_secrets_do_not_repeat()
    {
        var secrets = Enumerable.Range(0, 10_000).Select(_ => TokenSecret.Generate()).ToHashSet();
        Assert.Equal(10_000, secrets.Count);
    }

    [Fact]
    public void Random_part_uses_the_whole_alphabet_roughly_evenly()
    {
        // 4,000 secrets × 24 characters ≈ 1,548 per symbol; a biased generator (e.g. modulo) would skew this.
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < 4_000; i++)
        {
            foreach (var c in TokenSecret.Generate().AsSpan(4, TokenSecret.RandomLength))
            {
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }
        Assert.Equal(62, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 1_200, 1_900));
    }

    [Fact]
    public void Checksum_recognises_a_generated_secret_offline()
    {
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(TokenSecret.IsGenerated(TokenSecret.Generate()));
        }
    }

    [Fact]
    public void Any_single_character_typo_breaks_the_checksum()
    {
        var secret = TokenSecret.Generate();
        for (var position = 4; position < secret.Length; position++)
        {
            var chars = secret.ToCharArray();
            chars[position] = chars[position] == 'a' ? 'b' : 'a';
            Assert.False(TokenSecret.IsGenerated(new string(chars)), $"typo at {position} went unnoticed");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ent_")]
    [InlineData("ENT_AbCdEfGhIjKlMnOpQrStUvWx123456")]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWx12345")]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWx1234567")]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUv-x123456")]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWx12345\0")]
    [InlineData("ent_ÄbCdEfGhIjKlMnOpQrStUvWx123456")]
    public void Malformed_text_is_not_a_generated_secret(string? candidate) =>
        Assert.False(TokenSecret.IsGenerated(candidate));

    [Theory]
    [InlineData("acme-2026")]
    [InlineData("Acme.Corp_Token-1")]
    [InlineData("12345678")]
    [InlineData("a234567890123456789012345678901234567890123456ab")]
    public void Acceptable_custom_secrets(string secret) => Assert.Null(TokenSecret.CustomSecretProblem(secret));

    [Theory]
    [InlineData("short", "8 to 48")]
    [InlineData("a2345678901234567890123456789012345678901234567890", "8 to 48")]
    [InlineData("-leading-dash", "start with a letter or digit")]
    [InlineData(".leading-dot", "start with a letter or digit")]
    [InlineData("has space in", "only letters")]
    [InlineData("slash/inside", "only letters")]
    [InlineData("percent%2e%2e", "only letters")]
    [InlineData("ünïcödé-token", "only letters")]
    [InlineData("line\nbreak1", "only letters")]
    [InlineData("ent_custom-one", "must not start with 'ent_'")]
    [InlineData("", "empty")]
    public void Unacceptable_custom_secrets_say_why(string secret, string reason) =>
        Assert.Contains(reason, TokenSecret.CustomSecretProblem(secret));

    [Fact]
    public void Fixed_time_comparison_is_exact()
    {
        var secret = TokenSecret.Generate();
        Assert.True(TokenSecret.FixedTimeEquals(secret, new string(secret.AsSpan())));
        Assert.False(TokenSecret.FixedTimeEquals(secret, secret[..^1]));
        Assert.False(TokenSecret.FixedTimeEquals(secret, secret.ToUpperInvariant()));
        Assert.False(TokenSecret.FixedTimeEquals(secret, null));
        Assert.False(TokenSecret.FixedTimeEquals(null, null));
    }

    [Fact]
    public void Mask_of_a_generated_secret_shows_prefix_and_checksum_but_no_random_character()
    {
        var secret = TokenSecret.Generate();
        var masked = TokenSecret.Mask(secret);

        Assert.StartsWith("ent_", masked);
        Assert.EndsWith(secret[^TokenSecret.ChecksumLength..], masked);
        foreach (var c in secret[4..^TokenSecret.ChecksumLength].Distinct().Where(c => !secret[^TokenSecret.ChecksumLength..].Contains(c)))
        {
            Assert.DoesNotContain(c, masked[4..]);
        }
    }

    [Theory]
    [InlineData("acme-2026")]
    [InlineData("a-much-longer-custom-token-string")]
    public void Mask_of_a_custom_secret_reveals_none_of_it(string secret)
    {
        var masked = TokenSecret.Mask(secret);

        Assert.Equal("custom ••••••••", masked);
    }

    [Theory]
    [InlineData("acme-2026", true)]
    [InlineData("nope", false)]
    [InlineData("ent_AbCdEfGhIjKlMnOpQrStUvWx123456", false)]
    public void Plausible_means_generated_or_acceptable_custom(string candidate, bool expected) =>
        Assert.Equal(expected, TokenSecret.IsPlausible(candidate));
}
