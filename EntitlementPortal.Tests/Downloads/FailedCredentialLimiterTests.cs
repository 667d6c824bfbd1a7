using EntitlementPortal.Features.Downloads;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Downloads;

public sealed class FailedCredentialLimiterTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    private FailedCredentialLimiter Limiter(int perMinute) =>
        new(Options.Create(new DownloadOptions { FailedAttemptsPerMinute = perMinute }), clock);

    [Fact]
    public void An_address_may_fail_up_to_the_limit_then_must_wait()
    {
        var limiter = Limiter(3);

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limiter.RetryAfter("203.0.113.9"));
            limiter.RecordFailure("203.0.113.9");
        }

        Assert.Equal(FailedCredentialLimiter.Window, limiter.RetryAfter("203.0.113.9"));
    }

    [Fact]
    public void Looking_does_not_use_a_permit()
    {
        var limiter = Limiter(1);

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
        var limiter = Limiter(1);

        limiter.RecordFailure("203.0.113.9");

        Assert.NotNull(limiter.RetryAfter("203.0.113.9"));
        Assert.Null(limiter.RetryAfter("198.51.100.4"));
        Assert.Null(limiter.RetryAfter("2001:db8::1"));
    }

    [Fact]
    public void The_wait_ends_exactly_when_the_oldest_failure_leaves_the_window()
    {
        var limiter = Limiter(3);
        limiter.RecordFailure("203.0.113.9");
        clock.Advance(TimeSpan.FromSeconds(20));
        limiter.RecordFailure("203.0.113.9");
        clock.Advance(TimeSpan.FromSeconds(20));
        limiter.RecordFailure("203.0.113.9");

        var wait = limiter.RetryAfter("203.0.113.9");
        Assert.Equal(TimeSpan.FromSeconds(20), wait);

        clock.Advance(TimeSpan.FromSeconds(20) - TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.FromTicks(1), limiter.RetryAfter("203.0.113.9"));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(limiter.RetryAfter("203.0.113.9"));

        // Two failures are still inside the window: one more and the address waits for the next oldest (20 s).
        limiter.RecordFailure("203.0.113.9");
        Assert.Equal(TimeSpan.FromSeconds(20), limiter.RetryAfter("203.0.113.9"));
    }

    [Fact]
    public void Spraying_addresses_never_tracks_more_than_the_capacity()
    {
        var limiter = Limiter(1);

        for (var i = 0; i < FailedCredentialLimiter.MaxTrackedAddresses + 5_000; i++)
        {
            limiter.RecordFailure($"2001:db8::{i:x}");
        }

        Assert.Equal(FailedCredentialLimiter.MaxTrackedAddresses, limiter.TrackedAddresses);
        // The most recent failures are the ones kept.
        Assert.NotNull(limiter.RetryAfter($"2001:db8::{FailedCredentialLimiter.MaxTrackedAddresses + 4_999:x}"));
        Assert.Null(limiter.RetryAfter("2001:db8::0"));
    }

    [Fact]
    public void Addresses_whose_failures_all_left_the_window_are_forgotten_when_looked_at()
    {
        var limiter = Limiter(5);
        limiter.RecordFailure("203.0.113.9");

        clock.Advance(FailedCredentialLimiter.Window);

        Assert.Null(limiter.RetryAfter("203.0.113.9"));
        Assert.Equal(0, limiter.TrackedAddresses);
    }
}
