using EntitlementPortal.Features.Downloads;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>The sliding window both download limits share: bounded memory and a truthful wait.</summary>
public sealed class FailureWindowTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_new_key_beyond_the_capacity_pushes_out_the_key_whose_last_failure_is_oldest()
    {
        var window = new FailureWindow(clock, limit: 1, TimeSpan.FromMinutes(5), capacity: 3);
        window.RecordFailure("a");
        clock.Advance(TimeSpan.FromSeconds(1));
        window.RecordFailure("b");
        clock.Advance(TimeSpan.FromSeconds(1));
        window.RecordFailure("c");
        clock.Advance(TimeSpan.FromSeconds(1));
        window.RecordFailure("a"); // a failed again: b is now the least recent

        window.RecordFailure("d");

        Assert.Equal(3, window.TrackedKeys);
        Assert.Null(window.RetryAfter("b"));
        Assert.NotNull(window.RetryAfter("a"));
        Assert.NotNull(window.RetryAfter("c"));
        Assert.NotNull(window.RetryAfter("d"));
    }

    [Fact]
    public void A_key_keeps_only_as_many_failure_times_as_its_limit_and_the_wait_follows_the_newest_of_them()
    {
        var window = new FailureWindow(clock, limit: 2, TimeSpan.FromSeconds(60), capacity: 10);
        for (var i = 0; i < 5; i++)
        {
            window.RecordFailure("a");
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        // Failures at 0, 10, 20, 30, 40 s and now is 50 s: the two newest decide, and the older of them (30 s) leaves at 90 s.
        Assert.Equal(TimeSpan.FromSeconds(40), window.RetryAfter("a"));
    }
}
