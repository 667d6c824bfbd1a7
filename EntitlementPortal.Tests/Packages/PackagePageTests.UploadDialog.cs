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

/// <summary>The upload dialog of the packages page: fields, files, detection of package formats.</summary>
public sealed partial class PackagePageTests
{
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
