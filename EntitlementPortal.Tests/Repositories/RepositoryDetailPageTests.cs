using Bunit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Repositories;

public sealed class RepositoryDetailPageTests : RepositoryComponentTest
{
    private IRenderedComponent<RepositoryDetailPage> RenderDetail(string slug) =>
        Render<RepositoryDetailPage>(p => p.Add(x => x.Slug, slug));

    [Fact]
    public async Task Shows_the_repository_settings_counts_and_times()
    {
        var created = await SeedAsync("acme", "Acme builds", description: "Nightly builds.");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail("acme");

        page.WaitForAssertion(() => Assert.Equal("Acme builds", page.Find("#repository-title").TextContent.Trim()));
        Assert.Equal("acme", page.Find("#repository-slug-value").TextContent.Trim());
        Assert.Equal("Nightly builds.", page.Find("#repository-description-value").TextContent.Trim());
        Assert.Equal("Private", page.Find("#repository-visibility-value").TextContent.Trim());
        Assert.Equal("On", page.Find("#repository-user-tokens-value").TextContent.Trim());
        Assert.Equal("0", page.Find("#repository-packages-value").TextContent.Trim());
        Assert.Equal("0", page.Find("#repository-tokens-value").TextContent.Trim());
        Assert.Equal(created.CreatedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC",
            page.Find("#repository-created-value").TextContent.Trim());
        Assert.Single(page.FindAll("#edit-repository"));
        Assert.Single(page.FindAll("#delete-repository"));
    }

    [Fact]
    public void Unknown_slug_shows_a_not_found_message()
    {
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = RenderDetail("missing");

        page.WaitForAssertion(() => Assert.Contains("'missing'", page.Find("#repository-not-found").TextContent));
        Assert.Empty(page.FindAll("#edit-repository"));
    }

    [Fact]
    public async Task Private_repository_is_not_found_for_a_member_without_a_staff_role()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("member@example.com");
        RenderDialogHost();

        var page = RenderDetail("acme");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#repository-not-found")));
        Assert.DoesNotContain("Acme builds", page.Markup);
    }

    [Fact]
    public async Task Account_manager_sees_the_details_but_no_edit_or_delete()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("am@example.com", Roles.AccountManager);
        RenderDialogHost();

        var page = RenderDetail("acme");

        page.WaitForAssertion(() => Assert.Equal("Acme builds", page.Find("#repository-title").TextContent.Trim()));
        Assert.Empty(page.FindAll("#edit-repository"));
        Assert.Empty(page.FindAll("#delete-repository"));
    }

    [Fact]
    public async Task Editing_keeps_the_slug_fixed_warns_before_going_public_and_shows_the_saved_values()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail("acme");
        page.WaitForElement("#edit-repository").Click();
        dialogs.WaitForElement("#save-repository");

        Assert.True(dialogs.Find("#repository-slug").HasAttribute("disabled"));
        Assert.Empty(dialogs.FindAll("#repository-public-warning"));
        dialogs.Find("#repository-public").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Entitlement tokens stop being used", dialogs.Find("#repository-public-warning").TextContent));
        dialogs.Find("#repository-name").Input("Acme public builds");
        dialogs.Find("#save-repository").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-repository")));
        page.WaitForAssertion(() => Assert.Equal("Acme public builds", page.Find("#repository-title").TextContent.Trim()));
        Assert.Equal("Public", page.Find("#repository-visibility-value").TextContent.Trim());
        var stored = await Repositories.GetAsync(TestDatabase.Administrator, "acme", Ct);
        Assert.Equal(("Acme public builds", RepositoryVisibility.Public), (stored.Name, stored.Visibility));
    }

    [Fact]
    public async Task Going_public_with_active_tokens_asks_to_confirm_disabling_them()
    {
        await SeedAsync("acme", "Acme builds");
        var tokens = Services.GetRequiredService<EntitlementPortal.Features.Tokens.TokenEditor>();
        await tokens.CreateAsync(TestDatabase.Administrator, "acme", new EntitlementPortal.Features.Tokens.TokenInput { Name = "Customer" }, Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail("acme");
        page.WaitForElement("#edit-repository").Click();
        dialogs.WaitForElement("#save-repository");

        dialogs.Find("#repository-public").Click();
        dialogs.Find("#save-repository").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("1 active token", dialogs.Find("#confirm-ok").Closest(".mud-dialog")!.TextContent));
        Assert.Equal(RepositoryVisibility.Private, (await Repositories.GetAsync(TestDatabase.Administrator, "acme", Ct)).Visibility);

        dialogs.Find("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.Equal("Public", page.Find("#repository-visibility-value").TextContent.Trim()));
        Assert.Equal(0, (await Repositories.GetAsync(TestDatabase.Administrator, "acme", Ct)).ActiveTokenCount);
    }

    [Fact]
    public async Task Deleting_a_repository_with_packages_asks_a_second_time_and_then_removes_both()
    {
        using var storageRoot = new TempDirectory();
        Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Storage:Root"] = storageRoot.Path;
        await SeedAsync("acme", "Acme builds");
        await Services.GetRequiredService<EntitlementPortal.Features.Packages.PackageUploads>().UploadAsync(
            TestDatabase.Administrator, "acme", "tool", "1.0.0", null, "tool.bin", new MemoryStream([1, 2, 3]), cancellationToken: Ct);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement("#delete-repository").Click();
        dialogs.WaitForElement("#confirm-text").Input("acme");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#confirm-ok").HasAttribute("disabled")));
        dialogs.Find("#confirm-ok").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("1 package version", dialogs.Find(".mud-dialog").TextContent));
        Assert.Equal(["acme"], await StoredSlugsAsync());
        dialogs.Find("#confirm-ok").Click();

        await page.WaitForAssertionAsync(async () => Assert.Empty(await StoredSlugsAsync()));
    }

    [Fact]
    public async Task Delete_requires_typing_the_slug_then_removes_it_and_returns_to_the_list()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement("#delete-repository").Click();
        dialogs.WaitForElement("#confirm-ok");
        Assert.True(dialogs.Find("#confirm-ok").HasAttribute("disabled"));
        dialogs.Find("#confirm-text").Input("acm");
        Assert.True(dialogs.Find("#confirm-ok").HasAttribute("disabled"));
        Assert.Equal(["acme"], await StoredSlugsAsync());

        dialogs.Find("#confirm-text").Input("acme");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#confirm-ok").HasAttribute("disabled")));
        dialogs.Find("#confirm-ok").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal("http://localhost/repositories", navigation.Uri));
        Assert.Empty(await StoredSlugsAsync());
    }

    [Fact]
    public async Task Cancelled_delete_keeps_the_repository()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement("#delete-repository").Click();
        dialogs.WaitForElement("#confirm-cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#confirm-ok")));
        Assert.Equal(["acme"], await StoredSlugsAsync());
        Assert.Equal("Acme builds", page.Find("#repository-title").TextContent.Trim());
    }

    [Fact]
    public async Task Delete_that_the_service_refuses_shows_its_message_and_stays_on_the_page()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail("acme");
        page.WaitForElement("#delete-repository");
        // Someone else deletes it while this page is open.
        await Repositories.DeleteAsync(TestDatabase.Administrator, "acme", Ct);

        page.Find("#delete-repository").Click();
        dialogs.WaitForElement("#confirm-text").Input("acme");
        dialogs.Find("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.Equal("Repository 'acme' was not found.", page.Find("#repository-error").TextContent.Trim()));
        Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri);
    }
}
