using Bunit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Tests.Repositories;

/// <summary>The Members section of a repository's detail page.</summary>
public sealed class RepositoryMembersTests : RepositoryComponentTest
{
    private PrivilegeTestData Data => new(Database, Services);

    private IRenderedComponent<RepositoryDetailPage> RenderDetail(string slug) =>
        Render<RepositoryDetailPage>(p => p.Add(x => x.Slug, slug));

    private async Task<string[]> StoredGrantsAsync() =>
        (await Data.Privileges.ListAsync(TestDatabase.Administrator, "acme", new PageRequest(), Ct)).Items
            .Select(g => $"{g.UserId ?? "team:" + g.Team}={RepositoryPrivileges.Name(g.Privilege)}").ToArray();

    private void Pick<T>(IRenderedComponent<T> fragment, string selectSelector, string item) where T : IComponent
    {
        fragment.Find(selectSelector).Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == item));
        Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == item).Click();
    }

    [Fact]
    public async Task Administrator_grants_a_user_by_email_without_errors_shown_before_typing()
    {
        await SeedAsync("acme", "Acme builds");
        await Data.UserAsync("bob@example.com");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement("#members-empty");
        Assert.Empty(page.Find("#repository-members").QuerySelectorAll(".mud-input-error"));
        page.Find("#grant-subject").Input("bob@example.com");
        Pick(page, "#grant-privilege", "write");
        page.Find("#grant-submit").Click();

        page.WaitForAssertion(() => Assert.Equal(["bob@example.com"], page.FindAll(".member-name").Select(c => c.TextContent.Trim())));
        Assert.Equal(["id-bob@example.com=write"], await StoredGrantsAsync());
        Assert.Equal("", page.Find("#grant-subject").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task Granting_without_saying_who_shows_the_required_message_and_stores_nothing()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement("#grant-submit").Click();

        page.WaitForAssertion(() => Assert.Contains("Say who gets the privilege.", page.Find("#repository-members").TextContent));
        Assert.Empty(await StoredGrantsAsync());
    }

    [Fact]
    public async Task Unknown_user_or_team_shows_the_services_message_and_stores_nothing()
    {
        await SeedAsync("acme", "Acme builds");
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement("#grant-subject").Input("nobody@example.com");
        page.Find("#grant-submit").Click();
        page.WaitForAssertion(() => Assert.Equal("User 'nobody@example.com' was not found.", page.Find("#grant-error").TextContent.Trim()));

        Pick(page, "#grant-kind", "Team");
        page.Find("#grant-subject").Input("ghosts");
        page.Find("#grant-submit").Click();
        page.WaitForAssertion(() => Assert.Equal("Team 'ghosts' was not found.", page.Find("#grant-error").TextContent.Trim()));
        Assert.Empty(await StoredGrantsAsync());
    }

    [Fact]
    public async Task Changing_and_revoking_a_team_grant_are_stored()
    {
        await SeedAsync("acme", "Acme builds");
        await Data.TeamAsync("builders");
        await Data.GrantTeamAsync("acme", "builders", RepositoryPrivilege.Read);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement(".member-row");
        Pick(page, ".member-privilege", "admin");
        await page.WaitForAssertionAsync(async () => Assert.Equal(["team:builders=admin"], await StoredGrantsAsync()));

        page.Find(".member-revoke").Click();
        dialogs.WaitForElement("#confirm-ok").Click();

        page.WaitForElement("#members-empty");
        Assert.Empty(await StoredGrantsAsync());
    }

    [Fact]
    public async Task Repository_admin_without_a_staff_role_sees_and_uses_the_section()
    {
        await SeedAsync("acme", "Acme builds");
        await Data.UserAsync("lead@example.com");
        await Data.UserAsync("bob@example.com");
        await Data.GrantUserAsync("acme", "lead@example.com", RepositoryPrivilege.Admin);
        SignIn("lead@example.com");
        RenderDialogHost();
        var page = RenderDetail("acme");

        page.WaitForElement("#grant-subject").Input("bob@example.com");
        page.Find("#grant-submit").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".member-row").Count));
        Assert.Equal(["id-bob@example.com=read", "id-lead@example.com=admin"], await StoredGrantsAsync());
        // A repository admin manages its standard tokens too.
        page.WaitForAssertion(() => Assert.Contains("Tokens", page.FindAll("h2").Select(h => h.TextContent.Trim())));
    }

    [Fact]
    public async Task Write_member_sees_the_private_repository_but_no_members_section()
    {
        await SeedAsync("acme", "Acme builds");
        await Data.UserAsync("bob@example.com");
        await Data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Write);
        SignIn("bob@example.com");
        RenderDialogHost();

        var page = RenderDetail("acme");

        page.WaitForAssertion(() => Assert.Equal("Acme builds", page.Find("#repository-title").TextContent.Trim()));
        Assert.Empty(page.FindAll("#repository-members"));
        Assert.Empty(page.FindAll("#grant-submit"));
    }

    [Fact]
    public async Task Account_manager_sees_the_repository_but_cannot_manage_members()
    {
        await SeedAsync("acme", "Acme builds", RepositoryVisibility.Public);
        SignIn("am@example.com", Roles.AccountManager);
        RenderDialogHost();

        var page = RenderDetail("acme");

        page.WaitForAssertion(() => Assert.Equal("Acme builds", page.Find("#repository-title").TextContent.Trim()));
        Assert.Empty(page.FindAll("#repository-members"));
    }
}
