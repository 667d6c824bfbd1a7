using Bunit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Repositories;

public sealed class RepositoryFormDialogTests : RepositoryComponentTest
{
    private (IRenderedComponent<RepositoriesPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) OpenCreateDialog()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<RepositoriesPage>();
        page.Find("#new-repository").Click();
        dialogs.WaitForElement("#save-repository");
        return (page, dialogs);
    }

    private static string SlugError(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.Find("#repository-slug").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private static string Slug(IRenderedComponent<MudDialogProvider> dialogs) => dialogs.Find("#repository-slug").GetAttribute("value") ?? "";

    [Fact]
    public void The_slug_follows_the_name_until_the_slug_is_typed()
    {
        var (_, dialogs) = OpenCreateDialog();

        dialogs.Find("#repository-name").Input("Acme Builds (Ünïx)");
        dialogs.WaitForAssertion(() => Assert.Equal("acme-builds-unix", Slug(dialogs)));
        dialogs.Find("#repository-name").Input("Acme Builds 2");
        dialogs.WaitForAssertion(() => Assert.Equal("acme-builds-2", Slug(dialogs)));

        dialogs.Find("#repository-slug").Input("acme");
        dialogs.Find("#repository-name").Input("Acme Builds 3");

        dialogs.WaitForAssertion(() => Assert.Equal("Acme Builds 3", dialogs.Find("#repository-name").GetAttribute("value")));
        Assert.Equal("acme", Slug(dialogs));
        Assert.Equal("", SlugError(dialogs));
    }

    [Fact]
    public async Task Editing_a_repository_never_changes_its_slug()
    {
        var existing = await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var service = Services.GetRequiredService<IDialogService>();
        Task<RepositorySummary?>? saving = null;
        await dialogs.InvokeAsync(() => { saving = service.ShowRepositoryFormAsync(existing); });
        dialogs.WaitForElement("#repository-name");

        dialogs.Find("#repository-name").Input("Something else entirely");
        dialogs.Find("#save-repository").Click();

        var saved = await saving!.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(("acme", "Something else entirely"), (saved!.Slug, saved.Name));
        Assert.Equal(["acme"], await StoredSlugsAsync());
    }

    [Fact]
    public async Task Reserved_slug_shows_a_field_error_and_stores_nothing()
    {
        var (_, dialogs) = OpenCreateDialog();

        dialogs.Find("#repository-slug").Input("api");
        dialogs.Find("#repository-name").Input("API builds");
        dialogs.WaitForAssertion(() => Assert.Equal("'api' is reserved; choose another slug.", SlugError(dialogs)));

        dialogs.Find("#save-repository").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("'api' is reserved; choose another slug.", SlugError(dialogs)));
        Assert.Single(dialogs.FindAll("#save-repository"));
        Assert.Empty(await StoredSlugsAsync());
    }

    [Fact]
    public async Task Missing_name_is_shown_on_the_field_when_saving_and_stores_nothing()
    {
        var (_, dialogs) = OpenCreateDialog();

        dialogs.Find("#repository-slug").Input("acme");
        dialogs.Find("#save-repository").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Name is required.", dialogs.Find("#repository-name").Closest(".mud-input-control")!.TextContent));
        Assert.Empty(await StoredSlugsAsync());
    }

    [Fact]
    public async Task Duplicate_slug_shows_the_service_error_on_the_slug_field_every_time_and_stores_nothing()
    {
        await SeedAsync("acme", "Acme builds");
        var (_, dialogs) = OpenCreateDialog();
        const string duplicate = "A repository with the slug 'acme' already exists.";

        dialogs.Find("#repository-slug").Input("acme");
        dialogs.Find("#repository-name").Input("Second acme");
        dialogs.Find("#save-repository").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(duplicate, SlugError(dialogs)));

        // Editing clears the message; saving the same clash again must show it again.
        dialogs.Find("#repository-slug").Input("acme-x");
        dialogs.WaitForAssertion(() => Assert.Equal("", SlugError(dialogs)));
        dialogs.Find("#repository-slug").Input("acme");
        dialogs.Find("#save-repository").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(duplicate, SlugError(dialogs)));

        Assert.Single(dialogs.FindAll("#save-repository"));
        Assert.Equal(["acme"], await StoredSlugsAsync());
        Assert.Equal("Acme builds", (await Repositories.GetAsync(TestDatabase.Administrator, "acme", Ct)).Name);
    }

    [Fact]
    public async Task Created_repository_closes_the_dialog_and_appears_in_the_list()
    {
        var (page, dialogs) = OpenCreateDialog();
        page.WaitForAssertion(() => Assert.Contains("No repositories yet", page.Markup));

        dialogs.Find("#repository-slug").Input("acme");
        dialogs.Find("#repository-name").Input("Acme builds");
        dialogs.Find("#repository-description").Input("Nightly builds for customers.");
        dialogs.Find("#repository-public").Click();
        dialogs.Find("#save-repository").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-repository")));
        page.WaitForAssertion(() => Assert.Equal(["acme"], page.FindAll(".repository-link").Select(a => a.TextContent.Trim())));
        Assert.Equal("Public", page.Find(".repository-visibility").TextContent.Trim());
        var stored = await Repositories.GetAsync(TestDatabase.Administrator, "acme", Ct);
        Assert.Equal(("Acme builds", "Nightly builds for customers.", RepositoryVisibility.Public, true),
            (stored.Name, stored.Description, stored.Visibility, stored.UserTokensEnabled));
    }

    [Fact]
    public async Task Cancelling_stores_nothing()
    {
        var (_, dialogs) = OpenCreateDialog();

        dialogs.Find("#repository-slug").Input("acme");
        dialogs.Find("#repository-name").Input("Acme builds");
        dialogs.Find("#cancel-repository").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-repository")));
        Assert.Empty(await StoredSlugsAsync());
    }
}
