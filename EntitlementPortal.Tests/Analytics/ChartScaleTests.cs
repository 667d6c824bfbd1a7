using EntitlementPortal.Features.Analytics;

namespace EntitlementPortal.Tests.Analytics;

public sealed class ChartScaleTests
{
    [Theory]
    [InlineData(new long[] { }, "B", 1)]
    [InlineData(new long[] { 900 }, "B", 200)]
    [InlineData(new long[] { 4_000, 12_000 }, "KB", 5)]
    [InlineData(new long[] { 2_000_000 }, "MB", 1)]
    [InlineData(new long[] { 40_000, 7_300_000_000 }, "GB", 2)]
    public void Bytes_are_drawn_in_the_unit_of_the_largest_day_with_at_most_five_ticks(long[] days, string unit, int step)
    {
        var scale = ChartScale.ForBytes(days);

        Assert.Equal((unit, step), (scale.Unit, scale.Step));
    }

    [Fact]
    public void Values_are_scaled_and_rounded_and_counts_keep_whole_steps()
    {
        var bytes = ChartScale.ForBytes([1_234_567]);

        Assert.Equal(1.23, bytes.Of(1_234_567));
        Assert.Equal("1.23 MB", bytes.Label(1_234_567));
        Assert.Equal(1, ChartScale.ForCounts([2]).Step);
        Assert.Equal(10, ChartScale.ForCounts([3, 42]).Step);
        Assert.Equal("42", ChartScale.ForCounts([42]).Label(42));
    }
}
