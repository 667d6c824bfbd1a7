using EntitlementPortal.Features.Downloads;
using Microsoft.AspNetCore.Http;

namespace EntitlementPortal.Tests.Downloads;

public sealed class FileResponsePlanTests
{
    private const string ETag = "\"abc\"";
    private const string LastModified = "Mon, 30 Nov 2026 10:00:00 GMT";
    private static readonly FileValidators File = new(ETag, new DateTime(2026, 11, 30, 10, 0, 0, 500, DateTimeKind.Utc), 1000);

    private static FileResponsePlan Plan(params (string Name, string Value)[] headers) => PlanFor("GET", headers);

    private static FileResponsePlan PlanFor(string method, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }
        return FileResponsePlan.Decide(method, context.Request.Headers, File);
    }

    [Fact]
    public void A_plain_request_sends_the_whole_file() =>
        Assert.Equal(new FileResponsePlan(FileResponseKind.Whole, 0, 1000), Plan());

    [Theory]
    [InlineData("If-None-Match", "\"abc\"")]
    [InlineData("If-None-Match", "W/\"abc\"")]
    [InlineData("If-None-Match", "*")]
    [InlineData("If-None-Match", "\"x\", \"abc\"")]
    [InlineData("If-Modified-Since", LastModified)]
    [InlineData("If-Modified-Since", "Mon, 30 Nov 2099 10:00:00 GMT")]
    public void Revalidations_are_not_modified(string header, string value) =>
        Assert.Equal(FileResponseKind.NotModified, Plan((header, value)).Kind);

    [Theory]
    [InlineData("If-Match", "\"other\"")]
    [InlineData("If-Match", "W/\"abc\"")]
    [InlineData("If-Match", "garbage")]
    [InlineData("If-Unmodified-Since", "Mon, 30 Nov 2026 09:59:59 GMT")]
    public void Failed_preconditions_are_412(string header, string value) =>
        Assert.Equal(FileResponseKind.PreconditionFailed, Plan((header, value)).Kind);

    [Theory]
    [InlineData("If-Match", "*")]
    [InlineData("If-Match", "\"abc\"")]
    [InlineData("If-Unmodified-Since", LastModified)]
    [InlineData("If-Unmodified-Since", "not a date")]
    [InlineData("If-Modified-Since", "Sun, 01 Jan 1990 00:00:00 GMT")]
    [InlineData("If-Modified-Since", "yesterday")]
    [InlineData("If-None-Match", "\"other\"")]
    [InlineData("If-None-Match", "garbage")]
    public void Conditions_that_hold_or_do_not_parse_send_the_whole_file(string header, string value) =>
        Assert.Equal(FileResponseKind.Whole, Plan((header, value)).Kind);

    [Fact]
    public void If_match_is_checked_before_if_none_match() =>
        Assert.Equal(FileResponseKind.PreconditionFailed, Plan(("If-Match", "\"other\""), ("If-None-Match", ETag)).Kind);

    [Fact]
    public void If_none_match_replaces_if_modified_since() =>
        Assert.Equal(FileResponseKind.Whole, Plan(("If-None-Match", "\"other\""), ("If-Modified-Since", "Mon, 30 Nov 2026 11:00:00 GMT")).Kind);

    [Fact]
    public void If_match_replaces_if_unmodified_since() =>
        Assert.Equal(FileResponseKind.Whole, Plan(("If-Match", ETag), ("If-Unmodified-Since", "Sun, 01 Jan 1990 00:00:00 GMT")).Kind);

    [Fact]
    public void Two_if_modified_since_values_are_ignored() =>
        Assert.Equal(FileResponseKind.Whole, Plan(("If-Modified-Since", LastModified), ("If-Modified-Since", LastModified)).Kind);

    [Theory]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=900-", 900, 100)]
    [InlineData("bytes=-10", 990, 10)]
    [InlineData("bytes=-5000", 0, 1000)]
    [InlineData("bytes=990-5000", 990, 10)]
    [InlineData("BYTES=0-0", 0, 1)]
    public void A_single_range_sends_exactly_its_bytes(string range, long offset, long length) =>
        Assert.Equal(new FileResponsePlan(FileResponseKind.Partial, offset, length), Plan(("Range", range)));

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=5000-6000")]
    [InlineData("bytes=-0")]
    public void An_unsatisfiable_range_is_416(string range) =>
        Assert.Equal(FileResponseKind.RangeNotSatisfiable, Plan(("Range", range)).Kind);

    [Theory]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("items=0-10")]
    [InlineData("bytes=9-3")]
    [InlineData("bytes=abc")]
    [InlineData("0-99")]
    public void Several_odd_or_unreadable_ranges_get_the_whole_file(string range) =>
        Assert.Equal(new FileResponsePlan(FileResponseKind.Whole, 0, 1000), Plan(("Range", range)));

    [Fact]
    public void Two_range_headers_get_the_whole_file() =>
        Assert.Equal(FileResponseKind.Whole, Plan(("Range", "bytes=0-1"), ("Range", "bytes=2-3")).Kind);

    [Theory]
    [InlineData(ETag, FileResponseKind.Partial)]
    [InlineData(LastModified, FileResponseKind.Partial)]
    [InlineData("\"stale\"", FileResponseKind.Whole)]
    [InlineData("W/\"abc\"", FileResponseKind.Whole)]
    [InlineData("Sun, 29 Nov 2026 10:00:00 GMT", FileResponseKind.Whole)]
    [InlineData("Tue, 01 Dec 2099 10:00:00 GMT", FileResponseKind.Whole)]
    [InlineData("garbage", FileResponseKind.Whole)]
    public void If_range_honours_the_range_only_for_this_exact_file(string ifRange, FileResponseKind expected) =>
        Assert.Equal(expected, Plan(("Range", "bytes=0-99"), ("If-Range", ifRange)).Kind);

    [Fact]
    public void Head_ignores_range_but_still_revalidates()
    {
        Assert.Equal(FileResponseKind.Whole, PlanFor("HEAD", ("Range", "bytes=0-99")).Kind);
        Assert.Equal(FileResponseKind.NotModified, PlanFor("HEAD", ("If-None-Match", ETag)).Kind);
    }
}
