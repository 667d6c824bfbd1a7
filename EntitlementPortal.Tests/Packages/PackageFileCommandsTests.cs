using System.Text;
using Bunit;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Packages;

/// <summary>The package page's copy-ready commands for each file: a real token for those who may see secrets, else a placeholder.</summary>
public sealed class PackageFileCommandsTests : PortalComponentTest
{
    private readonly TempDirectory dataDirectory = new();
    private IRenderedComponent<MudPopoverProvider> popovers = default!;

    public PackageFileCommandsTests() : base(withDatabase: true)
    {
        Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Storage:Root"] = dataDirectory.Path;
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        dataDirectory.Dispose();
    }

    private async Task<PackageView> SeedAsync(RepositoryVisibility visibility = RepositoryVisibility.Private)
    {
        await Services.GetRequiredService<RepositoryService>().CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = "acme", Name = "acme", Visibility = visibility }, Ct);
        var packages = Services.GetRequiredService<PackageUploads>();
        await packages.UploadAsync(TestDatabase.Administrator, "acme", "acme-agent", "2.0.0", null, "agent.tar.gz",
            new MemoryStream(Encoding.UTF8.GetBytes("tarball")), cancellationToken: Ct);
        return await packages.UploadAsync(TestDatabase.Administrator, "acme", "acme-agent", "2.0.0", null, "agent.zip",
            new MemoryStream(Encoding.UTF8.GetBytes("zip")), cancellationToken: Ct);
    }

    private Task<TokenView> TokenAsync(string name, string secret, string? query = null) =>
        Services.GetRequiredService<TokenEditor>().CreateAsync(TestDatabase.Administrator, "acme",
            new TokenInput { Name = name, Token = secret, LimitPackageQuery = query }, Ct);

    private IRenderedComponent<PackageDetailPage> Open(int packageId, string role)
    {
        SignIn("ada@example.com", role);
        popovers = Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        var page = Render<PackageDetailPage>(p => p.Add(x => x.Repo, "acme").Add(x => x.Id, packageId));
        page.WaitForElement("#package-file-commands");
        return page;
    }

    private string[] TokenChoices(IRenderedComponent<PackageDetailPage> page)
    {
        page.WaitForElement("#package-token").Closest(".mud-input-control")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll(".mud-list-item")));
        var items = popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToArray();
        page.Find("#package-token").Closest(".mud-input-control")!.MouseDown();
        return items;
    }

    private static string Text(IRenderedComponent<PackageDetailPage> page, string selector) => page.Find(selector).TextContent.Trim();

    [Fact]
    public async Task Someone_who_may_see_secrets_picks_a_token_that_may_download_the_file_and_copies_its_real_secret()
    {
        var package = await SeedAsync();
        var ci = await TokenAsync("CI", "ci-secret-2026");
        await TokenAsync("Zip only", "zip-only-2026", "filename:*.zip");
        await TokenAsync("Other product", "other-2026", "name:other");

        var page = Open(package.Id, Roles.Administrator);

        page.WaitForAssertion(() => Assert.Equal("Download agent.tar.gz", Text(page, "#package-commands-title")));
        Assert.Equal(["CI"], TokenChoices(page));
        Assert.Equal($"curl --fail-with-body -L -u 'token:{ci.SecretHint}' -o agent.tar.gz http://localhost/dl/basic/acme/acme-agent/2.0.0/agent.tar.gz",
            Text(page, "#snippet-curl"));
        page.Find("#snippet-curl-copy").Click();
        Assert.Equal("curl --fail-with-body -L -u token:ci-secret-2026 -o agent.tar.gz http://localhost/dl/basic/acme/acme-agent/2.0.0/agent.tar.gz",
            ClipboardText(page));
        page.Find("#package-token-reveal").Click();
        page.WaitForAssertion(() => Assert.Equal("http://localhost/dl/ci-secret-2026/acme/acme-agent/2.0.0/agent.tar.gz", Text(page, "#snippet-url")));

        page.FindAll(".package-file-commands")[1].Click();

        page.WaitForAssertion(() => Assert.Equal("Download agent.zip", Text(page, "#package-commands-title")));
        page.WaitForAssertion(() => Assert.Equal(["CI", "Zip only"], TokenChoices(page)));
        Assert.EndsWith("/dl/basic/acme/acme-agent/2.0.0/agent.zip", Text(page, "#snippet-wget"));
    }

    [Fact]
    public async Task Someone_who_may_not_see_secrets_gets_a_placeholder_and_no_token_list()
    {
        var package = await SeedAsync();
        var ci = await TokenAsync("CI", "ci-secret-2026");

        var page = Open(package.Id, Roles.AccountManager);

        page.WaitForAssertion(() => Assert.Equal(
            "curl --fail-with-body -L -u 'token:<token>' -o agent.tar.gz http://localhost/dl/basic/acme/acme-agent/2.0.0/agent.tar.gz",
            Text(page, "#snippet-curl")));
        Assert.Empty(page.FindAll("#package-token"));
        Assert.Contains("Replace <token>", Text(page, "#package-commands-placeholder"));
        Assert.DoesNotContain("ci-secret-2026", page.Markup);
        Assert.DoesNotContain(ci.SecretHint, page.Markup);
    }

    [Fact]
    public async Task Without_a_token_for_the_file_the_page_says_where_to_create_one()
    {
        var package = await SeedAsync();
        await TokenAsync("Other product", "other-2026", "name:other");

        var page = Open(package.Id, Roles.TokenManager);

        page.WaitForAssertion(() => Assert.Contains("No token of acme may download this file yet", Text(page, "#package-commands-no-token")));
        Assert.Equal("repositories/acme", page.Find("#package-commands-no-token a").GetAttribute("href"));
        Assert.Contains("'token:<token>'", Text(page, "#snippet-curl"));
    }

    [Fact]
    public async Task A_public_repositorys_file_downloads_without_credentials()
    {
        var package = await SeedAsync(RepositoryVisibility.Public);

        var page = Open(package.Id, Roles.Administrator);

        page.WaitForAssertion(() => Assert.Equal("http://localhost/dl/public/acme/acme-agent/2.0.0/agent.tar.gz", Text(page, "#snippet-url")));
        Assert.Equal("curl --fail-with-body -L -o agent.tar.gz http://localhost/dl/public/acme/acme-agent/2.0.0/agent.tar.gz", Text(page, "#snippet-curl"));
        Assert.DoesNotContain("token", Text(page, "#snippet-wget"));
    }
}
