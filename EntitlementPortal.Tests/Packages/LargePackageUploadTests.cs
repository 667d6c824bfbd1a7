using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Packages;

public sealed class LargePackageUploadTests
{
    [Fact]
    public async Task An_upload_larger_than_the_servers_default_body_limit_streams_through_whole()
    {
        await using var app = new ApiAppFactory();
        var api = app.CreateApiClient();
        var ct = TestContext.Current.CancellationToken;
        (await api.PostAsJsonAsync("/api/v1/repos", new { slug = "big", name = "Big" }, ct)).EnsureSuccessStatusCode();
        // Kestrel refuses bodies over 30 MB unless the endpoint lifts its limit.
        var data = new byte[32 * 1024 * 1024 + 17];
        new Random(32).NextBytes(data);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("big-tool"), "name" },
            { new StringContent("1.0"), "version" },
            { new StreamContent(new MemoryStream(data)), "file", "big.bin" },
        };

        var created = await (await api.PostAsync("/api/v1/repos/big/packages", form, ct)).ReadJsonAsync(HttpStatusCode.Created);

        var file = created.GetProperty("files")[0];
        Assert.Equal(data.Length, file.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), file.GetProperty("sha256").GetString());
    }
}
