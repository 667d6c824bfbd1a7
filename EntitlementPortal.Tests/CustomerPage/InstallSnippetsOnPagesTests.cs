using System.Net;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Formats.Python;

namespace EntitlementPortal.Tests.CustomerPage;

/// <summary>The download page's install set-up: per format the repository holds, for the packages the token may see.</summary>
public sealed class InstallSnippetsOnPagesTests : DownloadTestBase
{
    private static Action<HttpRequestMessage> Browser => r => r.Headers.TryAddWithoutValidation("Accept", "text/html");

    [Fact]
    public async Task The_page_gives_pip_set_up_with_the_token_only_when_the_token_sees_a_python_package()
    {
        await PythonUpload.PublishAsync(Api, PythonDistributions.WheelFilename("acme-lib", "1.0.0"), PythonDistributions.Wheel("acme-lib", "1.0.0", "acme_lib"));
        var (_, sees) = await CreateTokenAsync(new { name = "Sees" });
        var (_, blind) = await CreateTokenAsync(new { name = "Blind", limitPackageQuery = "format:raw" });

        var page = await (await GetAsync($"/dl/{sees}/{Repo}/", Browser)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"install-python\"", page, StringComparison.Ordinal);
        Assert.Contains($"/dl/{sees}/{Repo}/python/simple/", page, StringComparison.Ordinal);
        Assert.Contains("acme-lib", page, StringComparison.Ordinal);

        var hidden = await GetAsync($"/dl/{blind}/{Repo}/", Browser);
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);
        var hiddenPage = await hidden.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("install-python", hiddenPage, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-lib", hiddenPage, StringComparison.Ordinal);
        Assert.Contains(Filename, hiddenPage, StringComparison.Ordinal);
    }
}
