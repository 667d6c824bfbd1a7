using System.Net.Http.Headers;
using System.Security.Cryptography;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Formats.Python;

/// <summary>The download test app (repository "acme" on real Kestrel) with twine's upload request at hand.</summary>
public static class PythonUpload
{
    /// <summary>POSTs a distribution as twine does: the metadata fields first, then the file as "content".</summary>
    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, string filename, byte[] content, string? name = null, string? version = null, string? sha256 = null,
        string repo = DownloadApp.Repo, string filetype = "")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("file_upload"), ":action" },
            { new StringContent("1"), "protocol_version" },
            { new StringContent(sha256 ?? Convert.ToHexStringLower(SHA256.HashData(content))), "sha256_digest" },
            { new StringContent("A long description that twine sends and the portal skips."), "description" },
        };
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }
        if (version is not null)
        {
            form.Add(new StringContent(version), "version");
        }
        if (filetype.Length > 0)
        {
            form.Add(new StringContent(filetype), "filetype");
        }
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "content", filename);
        return await client.PostAsync($"/api/v1/repos/{repo}/python/", form, TestContext.Current.CancellationToken);
    }

    public static async Task PublishAsync(HttpClient client, string filename, byte[] content)
    {
        var response = await PostAsync(client, filename, content);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync()}");
    }
}
