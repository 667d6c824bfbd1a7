using System.Text;
using Bunit;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Packages;

public sealed partial class PackagePageTests : PortalComponentTest
{
    private static readonly TimeSpan SearchWait = TimeSpan.FromSeconds(5);
    private readonly TempDirectory dataDirectory = new();

    public PackagePageTests() : base(withDatabase: true)
    {
        // The service collection is closed by now; the test database's configuration is still writable.
        Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Storage:Root"] = dataDirectory.Path;
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private PackageQueries PackageQueries => Services.GetRequiredService<PackageQueries>();
    private PackageUploads PackageUploads => Services.GetRequiredService<PackageUploads>();
    private PackageRemoval PackageRemoval => Services.GetRequiredService<PackageRemoval>();

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        dataDirectory.Dispose();
    }

    private async Task SeedRepositoryAsync(string slug) =>
        await Services.GetRequiredService<RepositoryService>().CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = slug, Name = slug }, Ct);

    private Task<PackageView> SeedPackageAsync(string repo, string name, string version, string filename, string content, string? tags = null) =>
        PackageUploads.UploadAsync(TestDatabase.Administrator, repo, name, version, tags, filename,
            new MemoryStream(Encoding.UTF8.GetBytes(content)), cancellationToken: Ct);

    private static string[] Texts<T>(IRenderedComponent<T> page, string selector) where T : IComponent =>
        page.FindAll(selector).Select(e => e.TextContent.Trim()).ToArray();

    private IRenderedComponent<MudDialogProvider> RenderDialogHost()
    {
        Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    [Fact]
    public async Task Empty_list_says_there_are_no_packages_yet()
    {
        await SeedRepositoryAsync("acme");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<PackagesPage>();

        page.WaitForAssertion(() => Assert.Contains("No packages yet", page.Find("#packages-empty").TextContent));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#upload-package")));
    }

    [Fact]
    public async Task List_shows_versions_across_repositories_newest_version_first()
    {
        await SeedRepositoryAsync("acme");
        await SeedRepositoryAsync("tools");
        await SeedPackageAsync("acme", "acme-agent", "1.9", "a.tar.gz", "one", tags: "legacy");
        await SeedPackageAsync("acme", "acme-agent", "1.10", "a.tar.gz", "two");
        await SeedPackageAsync("tools", "zip-tool", "0.1", "z.bin", "three");
        SignIn("am@example.com", Roles.AccountManager);
        RenderDialogHost();

        var page = Render<PackagesPage>();

        page.WaitForAssertion(() => Assert.Equal(["1.10", "1.9", "0.1"], Texts(page, ".package-version")));
        Assert.Equal(["acme", "acme", "tools"], Texts(page, ".package-repo"));
        Assert.Equal(["legacy"], Texts(page, ".package-tag"));
        Assert.EndsWith("repositories/acme/packages/2", page.FindAll(".package-link")[0].GetAttribute("href"));
        Assert.Empty(page.FindAll("#upload-package"));
    }

    [Fact]
    public async Task A_query_filters_the_list_and_an_invalid_one_shows_where_it_is_wrong()
    {
        await SeedRepositoryAsync("acme");
        await SeedPackageAsync("acme", "acme-agent", "1.0", "a.bin", "one");
        await SeedPackageAsync("acme", "acme-agent", "2.0", "a.bin", "two");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = Render<PackagesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".package-version").Count));

        page.Find("#package-query").Input("version:>=2");
        page.WaitForAssertion(() => Assert.Equal(["2.0"], Texts(page, ".package-version")), SearchWait);

        page.Find("#package-query").Input("name:(acme");
        page.WaitForAssertion(() => Assert.Contains("position", page.Find(".mud-input-helper-text.mud-input-error").TextContent), SearchWait);
        Assert.Equal(["2.0"], Texts(page, ".package-version"));

        page.Find("#package-query").Input("name:nothing");
        page.WaitForAssertion(() => Assert.Contains("No packages match", page.Find("#packages-empty").TextContent), SearchWait);
    }

    [Fact]
    public async Task A_plain_word_finds_packages_whose_name_contains_it()
    {
        await SeedRepositoryAsync("acme");
        await SeedPackageAsync("acme", "acme-agent", "1.0", "a.bin", "one");
        await SeedPackageAsync("acme", "acme-server", "1.0", "b.bin", "two");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = Render<PackagesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".package-version").Count));

        page.Find("#package-query").Input("agent");

        page.WaitForAssertion(() => Assert.Equal(["acme-agent"], Texts(page, ".package-link")), SearchWait);
    }

    [Theory]
    [InlineData("agent", "name:*agent*")]
    [InlineData("  Agent ", "name:*agent*")]
    [InlineData("name:acme", "name:acme")]
    [InlineData("acme*", "acme*")]
    [InlineData("acme agent", "acme agent")]
    [InlineData("not", "not")]
    [InlineData("", "")]
    public void Only_one_plain_word_becomes_a_search_inside_names(string typed, string query)
    {
        Assert.Equal(query, PackageSearchText.ToQueryText(typed));
    }

    [Fact]
    public async Task Detail_shows_files_with_sizes_hashes_tags_and_uploader()
    {
        await SeedRepositoryAsync("acme");
        var package = await SeedPackageAsync("acme", "acme-agent", "2.0.0", "agent.tar.gz", "binary", tags: "lts,linux");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<PackageDetailPage>(p => p.Add(x => x.Repo, "acme").Add(x => x.Id, package.Id));

        page.WaitForAssertion(() => Assert.Equal("acme-agent 2.0.0", page.Find("#package-title").TextContent.Trim()));
        Assert.Equal("lts, linux", page.Find("#package-tags-value").TextContent.Trim());
        Assert.Equal("admin@example.com", page.Find("#package-uploader-value").TextContent.Trim());
        Assert.Equal("agent.tar.gz", page.Find(".package-file-name").TextContent.Trim());
        Assert.Equal("6 B", page.Find(".package-file-size").TextContent.Trim());
        Assert.Equal(package.Files[0].Sha256, page.Find(".package-file-sha").TextContent.Trim());
        Assert.Single(page.FindAll("#delete-package"));
    }

    [Fact]
    public async Task Detail_of_a_missing_package_says_so_and_readers_get_no_delete()
    {
        await SeedRepositoryAsync("acme");
        var package = await SeedPackageAsync("acme", "acme-agent", "1.0", "a.bin", "x");
        SignIn("tm@example.com", Roles.TokenManager);
        RenderDialogHost();

        var missing = Render<PackageDetailPage>(p => p.Add(x => x.Repo, "acme").Add(x => x.Id, 999));
        var existing = Render<PackageDetailPage>(p => p.Add(x => x.Repo, "acme").Add(x => x.Id, package.Id));

        missing.WaitForAssertion(() => Assert.Contains("no package 999 in 'acme'", missing.Find("#package-not-found").TextContent));
        existing.WaitForAssertion(() => Assert.Single(existing.FindAll("#package-title")));
        Assert.Empty(existing.FindAll("#delete-package"));
    }

    [Fact]
    public async Task Deleting_asks_for_confirmation_then_removes_the_package()
    {
        await SeedRepositoryAsync("acme");
        var package = await SeedPackageAsync("acme", "acme-agent", "1.0", "a.bin", "x");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<PackageDetailPage>(p => p.Add(x => x.Repo, "acme").Add(x => x.Id, package.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#delete-package")));

        page.Find("#delete-package").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("acme-agent 1.0", dialogs.Markup));
        Assert.Equal(1, (await PackageQueries.ListAsync(TestDatabase.Administrator, "acme", new(), cancellationToken: Ct)).Total);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        await WaitUntilAsync(async () => (await PackageQueries.ListAsync(TestDatabase.Administrator, "acme", new(), cancellationToken: Ct)).Total == 0);
        page.WaitForAssertion(() => Assert.EndsWith("packages?repo=acme", Services.GetRequiredService<NavigationManager>().Uri));
    }

}
