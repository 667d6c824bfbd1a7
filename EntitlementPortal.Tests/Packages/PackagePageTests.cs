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

public sealed class PackagePageTests : PortalComponentTest
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
        Assert.EndsWith("packages?repo=acme", Services.GetRequiredService<NavigationManager>().Uri);
    }

    /// <summary>An administrator on acme's (empty) package list with the upload dialog open.</summary>
    private async Task<(IRenderedComponent<PackagesPage> Page, IRenderedComponent<MudDialogProvider> Dialogs)> OpenUploadDialogOnEmptyRepositoryAsync()
    {
        await SeedRepositoryAsync("acme");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("repo", "acme"));
        var page = Render<PackagesPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#packages-empty")));
        page.Find("#upload-package").Click();
        dialogs.WaitForElement("#upload-name");
        return (page, dialogs);
    }

    [Fact]
    public async Task Upload_dialog_refuses_bad_fields_and_stores_nothing()
    {
        var (page, dialogs) = await OpenUploadDialogOnEmptyRepositoryAsync();
        dialogs.Find("#upload-name").Change("Bad Name");
        dialogs.Find("#upload-version").Change("1.0");
        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("content", "../evil.sh"));
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll(".upload-item")));
        dialogs.Find("#start-upload").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("evil.sh", dialogs.Find("#upload-file-error").TextContent));
        Assert.Contains("lowercase", dialogs.Markup);
        Assert.Equal(0, (await PackageQueries.ListAsync(TestDatabase.Administrator, "acme", new(), cancellationToken: Ct)).Total);
    }

    [Fact]
    public async Task Upload_dialog_stores_every_chosen_file_in_the_version()
    {
        var (page, dialogs) = await OpenUploadDialogOnEmptyRepositoryAsync();
        dialogs.Find("#upload-name").Change("acme-agent");
        dialogs.Find("#upload-version").Change("2.0");
        dialogs.Find("#upload-tags").Change("lts");
        dialogs.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromText("linux build", "agent.tar.gz"),
            InputFileContent.CreateFromText("windows build", "agent.zip"));
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll(".upload-item").Count));
        dialogs.Find("#start-upload").Click();

        page.WaitForAssertion(() => Assert.Equal(["2.0"], Texts(page, ".package-version")), SearchWait);
        var stored = Assert.Single((await PackageQueries.ListAsync(TestDatabase.Administrator, "acme", new(), cancellationToken: Ct)).Items);
        Assert.Equal(["agent.tar.gz", "agent.zip"], stored.Files.Select(f => f.Filename));
        Assert.Equal(["lts"], stored.Tags);
    }

    [Fact]
    public async Task Upload_dialog_stores_a_wheel_as_python_with_name_and_version_from_its_metadata_and_shows_the_format()
    {
        var (page, dialogs) = await OpenUploadDialogOnEmptyRepositoryAsync();
        var wheel = Formats.Python.PythonDistributions.Wheel("Acme_Lib", "1.2.0", "acme_lib");
        dialogs.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(wheel, Formats.Python.PythonDistributions.WheelFilename("Acme_Lib", "1.2.0")));
        dialogs.WaitForAssertion(() => Assert.Contains("Python", dialogs.Find(".upload-format").TextContent, StringComparison.Ordinal));
        dialogs.Find("#start-upload").Click();

        page.WaitForAssertion(() => Assert.Equal(["1.2.0"], Texts(page, ".package-version")), SearchWait);
        Assert.Equal(["Python"], Texts(page, ".package-format"));
        var stored = Assert.Single((await PackageQueries.ListAsync(TestDatabase.Administrator, "acme", new(), cancellationToken: Ct)).Items);
        Assert.Equal(("acme-lib", "python"), (stored.Name, stored.Format));
    }

    [Fact]
    public async Task Upload_dialog_refuses_a_wheel_whose_metadata_contradicts_the_typed_name_and_stores_nothing()
    {
        var (page, dialogs) = await OpenUploadDialogOnEmptyRepositoryAsync();
        dialogs.Find("#upload-name").Change("other-name");
        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(
            Formats.Python.PythonDistributions.Wheel("acme-lib", "1.2.0", "acme_lib"), Formats.Python.PythonDistributions.WheelFilename("acme-lib", "1.2.0")));
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll(".upload-item")));
        dialogs.Find("#start-upload").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("acme-lib", dialogs.Markup, StringComparison.Ordinal));
        dialogs.WaitForAssertion(() => Assert.Contains("not 'other-name'", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty((await PackageQueries.ListAsync(TestDatabase.Administrator, "acme", new(), cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task Upload_dialog_shows_a_duplicate_file_on_the_file_and_keeps_the_original()
    {
        await SeedRepositoryAsync("acme");
        await SeedPackageAsync("acme", "acme-agent", "2.0", "agent.zip", "original");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("repo", "acme"));
        var page = Render<PackagesPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".package-version")));

        page.Find("#upload-package").Click();
        dialogs.WaitForElement("#upload-name");
        dialogs.Find("#upload-name").Change("acme-agent");
        dialogs.Find("#upload-version").Change("2.0");
        dialogs.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("replacement", "agent.zip"));
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll(".upload-item")));
        dialogs.Find("#start-upload").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("already has a file named 'agent.zip'", dialogs.Find("#upload-file-error").TextContent));
        Assert.Contains("not stored", dialogs.Find(".upload-status").TextContent);
        var stored = Assert.Single((await PackageQueries.ListAsync(TestDatabase.Administrator, "acme", new(), cancellationToken: Ct)).Items);
        Assert.Equal(8, Assert.Single(stored.Files).Size);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Yield();
        }
        Assert.Fail("The condition never became true.");
    }
}
