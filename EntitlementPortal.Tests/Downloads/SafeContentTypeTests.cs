using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>Which stored types a download keeps; <see cref="DownloadContentTypeTests"/> checks the same over HTTP.</summary>
public sealed class SafeContentTypeTests
{
    [Theory]
    [InlineData("application/gzip", "application/gzip")]
    [InlineData("APPLICATION/ZIP", "application/zip")]
    [InlineData("application/x-tar; name=x", "application/x-tar")]
    [InlineData("application/octet-stream", "application/octet-stream")]
    [InlineData("text/html", "application/octet-stream")]
    [InlineData("image/svg+xml", "application/octet-stream")]
    [InlineData("image/png", "application/octet-stream")]
    [InlineData("application/javascript", "application/octet-stream")]
    [InlineData("multipart/x-mixed-replace; boundary=x", "application/octet-stream")]
    [InlineData("", "application/octet-stream")]
    [InlineData(null, "application/octet-stream")]
    [InlineData("garbage", "application/octet-stream")]
    public void Served_type_is_the_stored_one_only_when_it_is_on_the_safe_list(string? stored, string served)
    {
        Assert.Equal(served, SafeContentType.For(stored));
    }

    [Fact]
    public void A_content_type_header_value_the_client_sent_can_not_widen_the_list()
    {
        // A parameter or odd spacing must not smuggle a rendered type through.
        Assert.Equal(SafeContentType.Fallback, SafeContentType.For("text/html; x=application/gzip"));
        Assert.Equal(SafeContentType.Fallback, SafeContentType.For("application/gzip, text/html"));
    }
}
