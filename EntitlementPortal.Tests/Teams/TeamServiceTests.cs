using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Repositories;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Teams;

public sealed class TeamServiceTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly PrivilegeTestData data;

    public TeamServiceTests()
    {
        services = database.BuildServices();
        data = new PrivilegeTestData(database, services);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TeamService Teams => data.Teams;

    public void Dispose()
    {
        services.Dispose();
        database.Dispose();
    }

    private AuditEntry[] TeamAudit()
    {
        using var db = database.OpenContext();
        return db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityType == AuditEntityTypes.Team).OrderBy(a => a.Id).ToArray();
    }

    [Fact]
    public async Task Created_team_is_stored_trimmed_without_members_and_audited()
    {
        var created = await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = " builders ", Name = "  Build team " }, Ct);

        Assert.Equal(("builders", "Build team"), (created.Slug, created.Name));
        Assert.Empty(created.Members);
        var entry = Assert.Single(TeamAudit());
        Assert.Equal((AuditActions.Create, "builders"), (entry.Action, entry.EntityId));
        Assert.Contains("Build team", entry.Summary);
    }

    [Fact]
    public async Task Duplicate_slug_is_a_conflict_on_slug_and_keeps_the_first_team()
    {
        await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = "builders", Name = "First" }, Ct);

        var conflict = await Assert.ThrowsAsync<ConflictException>(() =>
            Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = "builders", Name = "Second" }, Ct));

        Assert.Equal(nameof(TeamInput.Slug), conflict.Field);
        var page = await Teams.ListAsync(TestDatabase.Administrator, new PageRequest(), Ct);
        Assert.Equal("First", Assert.Single(page.Items).Name);
        Assert.Single(TeamAudit());
    }

    [Theory]
    [InlineData("A-team")]
    [InlineData("x")]
    [InlineData("-edge")]
    [InlineData("has space")]
    public async Task Invalid_slug_is_a_validation_error_on_slug(string slug)
    {
        var invalid = await Assert.ThrowsAsync<ValidationException>(() =>
            Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = slug, Name = "Team" }, Ct));

        Assert.Contains(invalid.Errors, e => e.PropertyName == nameof(TeamInput.Slug));
        Assert.Empty((await Teams.ListAsync(TestDatabase.Administrator, new PageRequest(), Ct)).Items);
    }

    [Fact]
    public async Task Rename_changes_name_and_slug_and_records_the_change()
    {
        await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = "builders", Name = "Builders" }, Ct);

        var renamed = await Teams.UpdateAsync(TestDatabase.Administrator, "builders", new TeamInput { Slug = "release", Name = "Release team" }, Ct);

        Assert.Equal(("release", "Release team"), (renamed.Slug, renamed.Name));
        await Assert.ThrowsAsync<NotFoundException>(() => Teams.GetAsync(TestDatabase.Administrator, "builders", Ct));
        var entry = TeamAudit()[^1];
        Assert.Equal(AuditActions.Update, entry.Action);
        Assert.Contains("'Builders' → 'Release team'", entry.Summary);
    }

    [Fact]
    public async Task Renaming_onto_another_teams_slug_is_a_conflict()
    {
        await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = "one", Name = "One" }, Ct);
        await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = "two", Name = "Two" }, Ct);

        await Assert.ThrowsAsync<ConflictException>(() =>
            Teams.UpdateAsync(TestDatabase.Administrator, "two", new TeamInput { Slug = "one", Name = "Two" }, Ct));

        Assert.Equal("Two", (await Teams.GetAsync(TestDatabase.Administrator, "two", Ct)).Name);
    }

    [Fact]
    public async Task Adding_a_member_twice_keeps_one_membership_and_one_audit_entry()
    {
        await data.UserAsync("bob@example.com");
        await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = "builders", Name = "Builders" }, Ct);

        await Teams.AddMemberAsync(TestDatabase.Administrator, "builders", PrivilegeTestData.IdOf("bob@example.com"), Ct);
        var again = await Teams.AddMemberAsync(TestDatabase.Administrator, "builders", "BOB@example.com", Ct);

        Assert.Equal([PrivilegeTestData.IdOf("bob@example.com")], again.Members);
        var members = await Teams.MembersAsync(TestDatabase.Administrator, "builders", Ct);
        Assert.Equal("bob@example.com", Assert.Single(members).Email);
        Assert.Single(TeamAudit(), e => e.Summary.StartsWith("Added bob@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_user_or_team_is_not_found_and_changes_nothing()
    {
        await data.UserAsync("bob@example.com");
        await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = "builders", Name = "Builders" }, Ct);

        var user = await Assert.ThrowsAsync<NotFoundException>(() => Teams.AddMemberAsync(TestDatabase.Administrator, "builders", "nobody", Ct));
        Assert.Equal("User 'nobody' was not found.", user.Message);
        await Assert.ThrowsAsync<NotFoundException>(() =>
            Teams.AddMemberAsync(TestDatabase.Administrator, "missing", PrivilegeTestData.IdOf("bob@example.com"), Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Teams.RemoveMemberAsync(TestDatabase.Administrator, "builders", "nobody", Ct));

        Assert.Empty((await Teams.GetAsync(TestDatabase.Administrator, "builders", Ct)).Members);
        Assert.Single(TeamAudit());
    }

    [Fact]
    public async Task Removing_a_member_is_audited_and_removing_a_non_member_changes_nothing()
    {
        await data.UserAsync("bob@example.com");
        await data.TeamAsync("builders", "bob@example.com");

        await Teams.RemoveMemberAsync(TestDatabase.Administrator, "builders", "bob@example.com", Ct);
        await Teams.RemoveMemberAsync(TestDatabase.Administrator, "builders", "bob@example.com", Ct);

        Assert.Empty((await Teams.GetAsync(TestDatabase.Administrator, "builders", Ct)).Members);
        Assert.Single(TeamAudit(), e => e.Summary.StartsWith("Removed bob@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_a_team_is_audited_with_what_went_with_it()
    {
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("acme");
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantTeamAsync("acme", "builders", Features.Repositories.Privileges.RepositoryPrivilege.Read);

        await Teams.DeleteAsync(TestDatabase.Administrator, "builders", Ct);

        await Assert.ThrowsAsync<NotFoundException>(() => Teams.GetAsync(TestDatabase.Administrator, "builders", Ct));
        var entry = TeamAudit()[^1];
        Assert.Equal((AuditActions.Delete, "Deleted team 'Team builders' (builders) with 1 membership and 1 repository grant."),
            (entry.Action, entry.Summary));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.AccountManager)]
    [InlineData(Roles.TokenManager)]
    public async Task Only_administrators_see_or_change_teams(string? role)
    {
        await data.UserAsync("bob@example.com");
        await data.TeamAsync("builders");
        var actor = role is null ? TestDatabase.ActorWith("member@example.com") : TestDatabase.ActorWith("staff@example.com", role);

        await Assert.ThrowsAsync<ForbiddenException>(() => Teams.ListAsync(actor, new PageRequest(), Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Teams.GetAsync(actor, "builders", Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Teams.CreateAsync(actor, new TeamInput { Slug = "mine", Name = "Mine" }, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Teams.UpdateAsync(actor, "builders", new TeamInput { Slug = "builders", Name = "X" }, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Teams.AddMemberAsync(actor, "builders", "bob@example.com", Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Teams.DeleteAsync(actor, "builders", Ct));

        var kept = await Teams.GetAsync(TestDatabase.Administrator, "builders", Ct);
        Assert.Equal(("Team builders", 0), (kept.Name, kept.Members.Count));
        Assert.Single((await Teams.ListAsync(TestDatabase.Administrator, new PageRequest(), Ct)).Items);
    }
}
