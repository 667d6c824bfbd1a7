using Bunit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Repositories;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Tests.Teams;

public sealed class TeamsPageTests : RepositoryComponentTest
{
    private PrivilegeTestData Data => new(Database, Services);

    private static string FieldError<T>(IRenderedComponent<T> fragment, string fieldId) where T : IComponent =>
        fragment.Find(fieldId).Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private async Task<string[]> StoredTeamsAsync() =>
        (await Data.Teams.ListAsync(TestDatabase.Administrator, new PageRequest(), Ct)).Items.Select(t => $"{t.Slug}:{t.Name}:{t.Members.Count}").ToArray();

    [Fact]
    public void Without_teams_shows_the_empty_state_with_a_create_button()
    {
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<TeamsPage>();

        page.WaitForAssertion(() => Assert.Contains("No teams yet", page.Find("#teams-empty").TextContent));
        Assert.Single(page.FindAll("#create-first-team"));
    }

    [Fact]
    public async Task Creating_a_team_shows_no_errors_before_typing_then_lists_and_stores_it()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<TeamsPage>();

        page.Find("#new-team").Click();
        dialogs.WaitForElement("#save-team");
        Assert.Empty(dialogs.FindAll(".mud-input-error"));
        dialogs.Find("#team-slug").Input("Bad Slug");
        dialogs.WaitForAssertion(() => Assert.StartsWith("Slug may contain only", FieldError(dialogs, "#team-slug")));
        dialogs.Find("#team-slug").Input("builders");
        dialogs.Find("#team-name").Input("Build team");
        dialogs.Find("#save-team").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-team")));
        page.WaitForAssertion(() => Assert.Equal(["Build team"], page.FindAll(".team-name").Select(c => c.TextContent.Trim())));
        Assert.Equal(["builders:Build team:0"], await StoredTeamsAsync());
    }

    [Fact]
    public async Task Duplicate_slug_shows_the_services_message_on_the_slug_field_and_creates_nothing()
    {
        await Data.TeamAsync("builders");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<TeamsPage>();

        page.Find("#new-team").Click();
        dialogs.WaitForElement("#team-slug").Input("builders");
        dialogs.Find("#team-name").Input("Second");
        dialogs.Find("#save-team").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("A team with the slug 'builders' already exists.", FieldError(dialogs, "#team-slug")));
        Assert.Equal(["builders:Team builders:0"], await StoredTeamsAsync());
    }

    [Fact]
    public async Task Members_dialog_adds_by_email_refuses_an_unknown_user_and_removes()
    {
        await Data.UserAsync("bob@example.com");
        await Data.TeamAsync("builders");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var snackbars = Render<MudSnackbarProvider>();
        var page = Render<TeamsPage>();

        page.WaitForElement(".team-members").Click();
        dialogs.WaitForElement("#team-members-empty");
        dialogs.Find("#team-member-user").Input("nobody@example.com");
        dialogs.Find("#add-team-member").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("User 'nobody@example.com' was not found.", dialogs.Find("#team-members-error").TextContent.Trim()));
        Assert.Equal(["builders:Team builders:0"], await StoredTeamsAsync());

        dialogs.Find("#team-member-user").Input("bob@example.com");
        dialogs.Find("#add-team-member").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(["bob@example.com"], dialogs.FindAll(".team-member-email").Select(c => c.TextContent.Trim())));
        Assert.Empty(dialogs.FindAll("#team-members-error"));
        Assert.Equal(["builders:Team builders:1"], await StoredTeamsAsync());
        snackbars.WaitForAssertion(() => Assert.Contains("bob@example.com added to Team builders.", snackbars.Markup));

        dialogs.Find(".remove-team-member").Click();
        dialogs.WaitForElement("#team-members-empty");
        snackbars.WaitForAssertion(() => Assert.Contains("bob@example.com removed from Team builders.", snackbars.Markup));
        Assert.Equal(["builders:Team builders:0"], await StoredTeamsAsync());
        dialogs.Find("#close-team-members").Click();
        page.WaitForAssertion(() => Assert.Equal("0", page.Find(".team-member-count").TextContent.Trim()));
    }

    [Fact]
    public async Task Deleting_asks_to_type_the_slug_then_removes_the_team()
    {
        await Data.TeamAsync("builders");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<TeamsPage>();

        page.WaitForElement(".team-delete").Click();
        dialogs.WaitForElement("#confirm-ok");
        Assert.True(dialogs.Find("#confirm-ok").HasAttribute("disabled"));
        dialogs.Find("#confirm-text").Input("builders");
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("#confirm-ok").HasAttribute("disabled")));
        dialogs.Find("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#teams-empty")));
        Assert.Empty(await StoredTeamsAsync());
    }

    [Fact]
    public async Task Rename_keeps_the_members_and_shows_the_new_name()
    {
        await Data.UserAsync("bob@example.com");
        await Data.TeamAsync("builders", "bob@example.com");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<TeamsPage>();

        page.WaitForElement(".team-rename").Click();
        dialogs.WaitForElement("#team-name").Input("Release engineers");
        dialogs.Find("#save-team").Click();

        page.WaitForAssertion(() => Assert.Equal("Release engineers", page.Find(".team-name").TextContent.Trim()));
        Assert.Equal(["builders:Release engineers:1"], await StoredTeamsAsync());
    }
}
