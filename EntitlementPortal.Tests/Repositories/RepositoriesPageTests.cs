using Bunit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Tests.Repositories;

public sealed class RepositoriesPageTests : RepositoryComponentTest
{
    private static readonly TimeSpan SearchWait = TimeSpan.FromSeconds(5);

    private static string[] Texts(IRenderedComponent<RepositoriesPage> page, string selector) =>
        page.FindAll(selector).Select(e => e.TextContent.Trim()).ToArray();

    [Fact]
    public void Empty_list_says_so_and_offers_administrators_to_create_one()
    {
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<RepositoriesPage>();

        page.WaitForAssertion(() => Assert.Contains("No repositories yet", page.Find("#repositories-empty").TextContent));
        Assert.Single(page.FindAll("#create-first-repository"));
        Assert.Single(page.FindAll("#new-repository"));
    }

    [Fact]
    public async Task Account_manager_sees_the_list_but_no_way_to_create()
    {
        await SeedAsync("acme", "Acme tools");
        SignIn("am@example.com", Roles.AccountManager);
        RenderDialogHost();

        var page = Render<RepositoriesPage>();

        page.WaitForAssertion(() => Assert.Equal(["acme"], Texts(page, ".repository-link")));
        Assert.Empty(page.FindAll("#new-repository"));
    }

    [Fact]
    public void Account_manager_gets_the_empty_state_without_a_create_button()
    {
        SignIn("am@example.com", Roles.AccountManager);
        RenderDialogHost();

        var page = Render<RepositoriesPage>();

        page.WaitForAssertion(() => Assert.Contains("No repositories yet", page.Find("#repositories-empty").TextContent));
        Assert.Empty(page.FindAll("#create-first-repository"));
        Assert.Empty(page.FindAll("#new-repository"));
    }

    [Fact]
    public async Task Lists_repositories_with_link_visibility_and_counts()
    {
        await SeedAsync("tools", "Tools", RepositoryVisibility.Public);
        await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<RepositoriesPage>();

        page.WaitForAssertion(() => Assert.Equal(["acme", "tools"], Texts(page, ".repository-link")));
        Assert.Equal(["repositories/acme", "repositories/tools"], page.FindAll(".repository-link").Select(a => a.GetAttribute("href")));
        Assert.Equal(["Acme builds", "Tools"], Texts(page, ".repository-name"));
        Assert.Equal(["Private", "Public"], Texts(page, ".repository-visibility"));
        Assert.Equal(["0", "0"], Texts(page, ".repository-packages"));
        Assert.Equal(["0", "0"], Texts(page, ".repository-tokens"));
        Assert.Contains(" UTC", page.Find("#repository-table tbody").TextContent);
    }

    [Fact]
    public async Task Sorting_by_name_reorders_the_rows()
    {
        await SeedAsync("alpha", "Zulu");
        await SeedAsync("beta", "Mike");
        await SeedAsync("gamma", "Alpha");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = Render<RepositoriesPage>();
        page.WaitForAssertion(() => Assert.Equal(["alpha", "beta", "gamma"], Texts(page, ".repository-link")));

        page.FindAll(".mud-table-sort-label").Single(s => s.TextContent.Trim() == "Name").Click();

        page.WaitForAssertion(() => Assert.Equal(["gamma", "beta", "alpha"], Texts(page, ".repository-link")));
    }

    [Fact]
    public async Task Search_narrows_the_list_by_slug_or_name_and_says_when_nothing_matches()
    {
        await SeedAsync("acme", "Acme builds");
        await SeedAsync("tools", "Tooling");
        await SeedAsync("mirror", "Acme mirror");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = Render<RepositoriesPage>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".repository-link").Count));

        page.Find("#repository-search").Input("acme");
        page.WaitForAssertion(() => Assert.Equal(["acme", "mirror"], Texts(page, ".repository-link")), SearchWait);

        page.Find("#repository-search").Input("nothing-like-this");
        page.WaitForAssertion(() => Assert.Contains("No repositories match your search or filter.", page.Find("#repositories-empty").TextContent), SearchWait);
        Assert.Empty(page.FindAll("#create-first-repository"));
    }

    [Fact]
    public async Task Visibility_filter_shows_only_repositories_of_that_visibility()
    {
        await SeedAsync("acme", "Acme builds");
        await SeedAsync("tools", "Tools", RepositoryVisibility.Public);
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = Render<RepositoriesPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".repository-link").Count));

        page.Find("#repository-visibility-filter").Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.NotEmpty(Popovers.FindAll(".mud-list-item")));
        Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "Public").Click();

        page.WaitForAssertion(() => Assert.Equal(["tools"], Texts(page, ".repository-link")));
    }

    [Fact]
    public async Task Pages_through_the_list_and_a_new_search_starts_on_the_first_page()
    {
        for (var i = 1; i <= 30; i++)
        {
            await SeedAsync($"acme-{i:00}", $"Acme {i}");
        }
        await SeedAsync("tools", "Tools");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = Render<RepositoriesPage>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll(".repository-link").Count));

        page.Find(".mud-table-pagination-next-button").Click();
        page.WaitForAssertion(() => Assert.Equal(["acme-26", "acme-27", "acme-28", "acme-29", "acme-30", "tools"], Texts(page, ".repository-link")));

        page.Find("#repository-search").Input("acme");
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll(".repository-link").Count), SearchWait);
        Assert.Equal("acme-01", Texts(page, ".repository-link")[0]);
    }
}
