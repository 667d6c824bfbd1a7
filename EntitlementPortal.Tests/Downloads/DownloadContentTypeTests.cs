using System.Net;
using System.Text;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// Files a browser would render (uploaded with their real type) come down as attachments a browser saves: the type
/// application/octet-stream, Content-Disposition attachment with the file name, and nosniff. Archives keep their type.
/// The tests share one app: each uploads a file of its own name and makes a token of its own.
/// </summary>
public sealed class DownloadContentTypeTests(DownloadApp download) : IClassFixture<DownloadApp>
{
    private const string Repo = DownloadApp.Repo;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> UploadAndDownloadAsync(string filename, string contentType, string content)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("web-assets"), "name" },
            { new StringContent("1.0.0"), "version" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.TryAddWithoutValidation("Content-Type", contentType);
        form.Add(file, "file", filename);
        var uploaded = await download.Api.PostAsync($"/api/v1/repos/{Repo}/packages", form, Ct);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(Ct));
        var (_, token) = await download.CreateTokenAsync(new { name = "Browser " + filename });

        var response = await download.GetAsync($"/dl/{token}/{Repo}/web-assets/1.0.0/{filename}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsStringAsync(Ct));
        return response;
    }

    private static void AssertSavedNotShown(HttpResponseMessage response, string filename)
    {
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(filename, disposition.FileName?.Trim('"'));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Html_file_downloads_as_attachment_with_nosniff()
    {
        var response = await UploadAndDownloadAsync("index.html", "text/html; charset=utf-8",
            "<html><script>alert(document.cookie)</script></html>");

        AssertSavedNotShown(response, "index.html");
    }

    [Theory]
    [InlineData("logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    [InlineData("app.js", "application/javascript", "alert(1)")]
    [InlineData("app.mjs", "text/javascript", "alert(1)")]
    [InlineData("feed.xml", "application/xml", "<?xml version=\"1.0\"?><x/>")]
    [InlineData("page.xhtml", "application/xhtml+xml", "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>")]
    [InlineData("notes.txt", "text/plain", "<script>alert(1)</script>")]
    [InlineData("data.json", "application/json", "{\"a\":1}")]
    [InlineData("manual.pdf", "application/pdf", "%PDF-1.4")]
    [InlineData("odd.bin", "not a media type", "bytes")]
    public async Task A_file_a_browser_would_render_downloads_as_an_octet_stream_attachment(string filename, string storedType, string content)
    {
        var response = await UploadAndDownloadAsync(filename, storedType, content);

        AssertSavedNotShown(response, filename);
    }

    [Fact]
    public async Task An_archive_keeps_its_stored_type_and_is_an_attachment_too()
    {
        var response = await download.GetAsync($"/dl/{(await download.CreateTokenAsync(new { name = "Archive" })).Token}/{DownloadApp.FilePath}");

        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }
}
