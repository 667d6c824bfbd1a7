using EntitlementPortal.Features.Downloads;
using Microsoft.AspNetCore.Http;

namespace EntitlementPortal.Tests.Downloads;

public sealed class ConditionalRequestTests
{
    private const string ETag = "\"abc\"";
    private static readonly DateTime Modified = new(2026, 11, 30, 10, 0, 0, 500, DateTimeKind.Utc);

    private static ResponseShape Shape(params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }
        return ConditionalRequest.Evaluate(context.Request.GetTypedHeaders(), ETag, Modified, 1000);
    }

    [Fact]
    public void A_plain_request_sends_the_whole_file() => Assert.Equal(new ResponseShape(false, false, 0, false), Shape());

    [Theory]
    [InlineData("If-None-Match", "\"abc\"")]
    [InlineData("If-None-Match", "W/\"abc\"")]
    [InlineData("If-None-Match", "*")]
    [InlineData("If-Modified-Since", "Mon, 30 Nov 2026 10:00:00 GMT")]
    [InlineData("If-Match", "\"other\"")]
    [InlineData("If-Unmodified-Since", "Mon, 30 Nov 2026 09:59:59 GMT")]
    public void Revalidations_and_failed_preconditions_send_no_body(string header, string value) =>
        Assert.True(Shape((header, value)).NoBody);

    [Fact]
    public void A_non_matching_if_none_match_wins_over_if_modified_since() =>
        Assert.False(Shape(("If-None-Match", "\"other\""), ("If-Modified-Since", "Mon, 30 Nov 2026 11:00:00 GMT")).NoBody);

    [Theory]
    [InlineData("bytes=0-99", 100)]
    [InlineData("bytes=900-", 100)]
    [InlineData("bytes=-10", 10)]
    [InlineData("bytes=990-5000", 10)]
    public void A_single_range_sends_its_length(string range, long bytes) =>
        Assert.Equal(new ResponseShape(false, true, bytes, false), Shape(("Range", range)));

    [Fact]
    public void An_unsatisfiable_range_sends_nothing_countable() => Assert.True(Shape(("Range", "bytes=5000-6000")).Unsatisfiable);

    [Fact]
    public void Several_ranges_are_served_as_the_whole_file() => Assert.False(Shape(("Range", "bytes=0-1,5-6")).IsRange);

    [Fact]
    public void A_range_whose_if_range_no_longer_matches_gets_the_whole_file()
    {
        Assert.False(Shape(("Range", "bytes=0-99"), ("If-Range", "\"stale\"")).IsRange);
        Assert.True(Shape(("Range", "bytes=0-99"), ("If-Range", ETag)).IsRange);
    }
}
