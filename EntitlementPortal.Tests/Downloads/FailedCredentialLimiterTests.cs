using EntitlementPortal.Features.Downloads;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Downloads;

public sealed class FailedCredentialLimiterTests
{
    private static FailedCredentialLimiter Limiter(int perMinute) =>
        new(Options.Create(new DownloadOptions { FailedAttemptsPerMinute = perMinute }));

    [Fact]
    public void An_address_may_fail_up_to_the_limit_then_must_wait()
    {
        using var limiter = Limiter(3);

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limiter.RetryAfter("203.0.113.9"));
            limiter.RecordFailure("203.0.113.9");
        }

        var wait = limiter.RetryAfter("203.0.113.9");
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), FailedCredentialLimiter.Window);
    }

    [Fact]
    public void Looking_does_not_use_a_permit()
    {
        using var limiter = Limiter(1);

        for (var i = 0; i < 50; i++)
        {
            Assert.Null(limiter.RetryAfter("203.0.113.9"));
        }
        limiter.RecordFailure("203.0.113.9");
        Assert.NotNull(limiter.RetryAfter("203.0.113.9"));
    }

    [Fact]
    public void Addresses_are_limited_separately()
    {
        using var limiter = Limiter(1);

        limiter.RecordFailure("203.0.113.9");

        Assert.NotNull(limiter.RetryAfter("203.0.113.9"));
        Assert.Null(limiter.RetryAfter("198.51.100.4"));
        Assert.Null(limiter.RetryAfter("2001:db8::1"));
    }
}
