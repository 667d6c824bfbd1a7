using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Repositories;

/// <summary>The effective privilege: highest of direct and team grants, Administrator everywhere, nothing when locked.</summary>
public sealed class RepositoryAccessTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly PrivilegeTestData data;

    public RepositoryAccessTests()
    {
        services = database.BuildServices();
        data = new PrivilegeTestData(database, services);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        services.Dispose();
        database.Dispose();
    }

    [Fact]
    public async Task Direct_grant_alone_gives_exactly_that_privilege_on_that_repository_only()
    {
        var bob = await data.UserAsync("bob@example.com");
        var acme = await data.RepositoryAsync("acme");
        var other = await data.RepositoryAsync("other");
        await data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Write);

        Assert.Equal(RepositoryPrivilege.Write, await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));
        Assert.Equal(RepositoryPrivilege.Write, await data.Access.EffectivePrivilegeAsync(PrivilegeTestData.IdOf("bob@example.com"), acme, Ct));
        Assert.Null(await data.Access.EffectivePrivilegeAsync(bob, other, Ct));
    }

    [Fact]
    public async Task Team_grant_alone_applies_to_its_members_and_to_nobody_else()
    {
        var bob = await data.UserAsync("bob@example.com");
        var carol = await data.UserAsync("carol@example.com");
        var acme = await data.RepositoryAsync("acme");
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantTeamAsync("acme", "builders", RepositoryPrivilege.Read);

        Assert.Equal(RepositoryPrivilege.Read, await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));
        Assert.Null(await data.Access.EffectivePrivilegeAsync(carol, acme, Ct));
    }

    [Theory]
    [InlineData(RepositoryPrivilege.Read, RepositoryPrivilege.Admin, RepositoryPrivilege.Admin)]
    [InlineData(RepositoryPrivilege.Admin, RepositoryPrivilege.Write, RepositoryPrivilege.Admin)]
    [InlineData(RepositoryPrivilege.Write, RepositoryPrivilege.Read, RepositoryPrivilege.Write)]
    public async Task Direct_and_team_grants_together_give_the_highest(
        RepositoryPrivilege direct, RepositoryPrivilege team, RepositoryPrivilege expected)
    {
        var bob = await data.UserAsync("bob@example.com");
        var acme = await data.RepositoryAsync("acme");
        await data.TeamAsync("builders", "bob@example.com");
        await data.TeamAsync("readers", "bob@example.com");
        await data.GrantUserAsync("acme", "bob@example.com", direct);
        await data.GrantTeamAsync("acme", "builders", team);
        await data.GrantTeamAsync("acme", "readers", RepositoryPrivilege.Read);

        Assert.Equal(expected, await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));
    }

    [Fact]
    public async Task Removed_from_the_team_loses_what_the_team_gave_but_keeps_the_direct_grant()
    {
        var bob = await data.UserAsync("bob@example.com");
        var acme = await data.RepositoryAsync("acme");
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantTeamAsync("acme", "builders", RepositoryPrivilege.Admin);
        await data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Read);
        Assert.Equal(RepositoryPrivilege.Admin, await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));

        await data.Teams.RemoveMemberAsync(TestDatabase.Administrator, "builders", PrivilegeTestData.IdOf("bob@example.com"), Ct);

        Assert.Equal(RepositoryPrivilege.Read, await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));
    }

    [Fact]
    public async Task Deleting_the_team_drops_its_grants_and_memberships()
    {
        var bob = await data.UserAsync("bob@example.com");
        var acme = await data.RepositoryAsync("acme");
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantTeamAsync("acme", "builders", RepositoryPrivilege.Write);

        await data.Teams.DeleteAsync(TestDatabase.Administrator, "builders", Ct);

        Assert.Null(await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));
        await using var db = database.OpenContext();
        Assert.Empty(await db.Set<RepositoryGrant>().ToListAsync(Ct));
        Assert.Empty(await db.Set<TeamMember>().ToListAsync(Ct));
    }

    [Fact]
    public async Task Revoking_the_grant_drops_the_privilege()
    {
        var bob = await data.UserAsync("bob@example.com");
        var acme = await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Admin);

        await data.Privileges.RemoveUserPrivilegeAsync(TestDatabase.Administrator, "acme", PrivilegeTestData.IdOf("bob@example.com"), Ct);

        Assert.Null(await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));
        Assert.False((await data.Access.ReadableRepositoriesAsync(bob, Ct)).Includes(acme));
    }

    [Fact]
    public async Task Administrator_is_admin_on_every_repository_without_any_grant()
    {
        var ada = await data.UserAsync("ada@example.com", locked: false, Roles.Administrator);
        var acme = await data.RepositoryAsync("acme");
        var open = await data.RepositoryAsync("open", Features.Repositories.RepositoryVisibility.Public);

        Assert.Equal(RepositoryPrivilege.Admin, await data.Access.EffectivePrivilegeAsync(ada, acme, Ct));
        Assert.Equal(RepositoryPrivilege.Admin, await data.Access.EffectivePrivilegeAsync(ada, open, Ct));
        // Without a principal the role is read from the database.
        Assert.Equal(RepositoryPrivilege.Admin, await data.Access.EffectivePrivilegeAsync(PrivilegeTestData.IdOf("ada@example.com"), acme, Ct));
        Assert.True((await data.Access.ReadableRepositoriesAsync(ada, Ct)).Everything);
        // Staff roles other than Administrator carry no repository privilege.
        var manager = await data.UserAsync("tm@example.com", locked: false, Roles.TokenManager);
        Assert.Null(await data.Access.EffectivePrivilegeAsync(manager, acme, Ct));
    }

    [Fact]
    public async Task Locked_user_has_no_privilege_whatever_their_grants_or_role()
    {
        var bob = await data.UserAsync("bob@example.com", locked: true);
        var locked = await data.UserAsync("locked-admin@example.com", locked: true, Roles.Administrator);
        var acme = await data.RepositoryAsync("acme");
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantTeamAsync("acme", "builders", RepositoryPrivilege.Write);
        await data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Admin);

        Assert.Null(await data.Access.EffectivePrivilegeAsync(bob, acme, Ct));
        Assert.Null(await data.Access.EffectivePrivilegeAsync(locked, acme, Ct));
        Assert.Null(await data.Access.EffectivePrivilegeAsync(PrivilegeTestData.IdOf("locked-admin@example.com"), acme, Ct));
        Assert.Empty((await data.Access.ReadableRepositoriesAsync(bob, Ct)).Ids);
        Assert.False((await data.Access.ReadableRepositoriesAsync(locked, Ct)).Everything);
    }

    [Fact]
    public async Task Readable_repositories_are_those_with_a_direct_or_team_grant()
    {
        var bob = await data.UserAsync("bob@example.com");
        var direct = await data.RepositoryAsync("direct");
        var viaTeam = await data.RepositoryAsync("via-team");
        var unrelated = await data.RepositoryAsync("unrelated");
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantUserAsync("direct", "bob@example.com", RepositoryPrivilege.Read);
        await data.GrantTeamAsync("via-team", "builders", RepositoryPrivilege.Write);

        var readable = await data.Access.ReadableRepositoriesAsync(PrivilegeTestData.IdOf("bob@example.com"), Ct);

        Assert.False(readable.Everything);
        Assert.Equal(new[] { direct, viaTeam }.Order(), readable.Ids.Order());
        Assert.False(readable.Includes(unrelated));
    }

    [Fact]
    public async Task Deleting_a_user_removes_their_memberships_and_grants()
    {
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("acme");
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Read);
        await data.GrantTeamAsync("acme", "builders", RepositoryPrivilege.Read);

        await using (var db = database.OpenContext())
        {
            db.Users.Remove(await db.Users.SingleAsync(u => u.Email == "bob@example.com", Ct));
            await db.SaveChangesAsync(Ct);
        }

        await using var check = database.OpenContext();
        Assert.Empty(await check.Set<TeamMember>().ToListAsync(Ct));
        var remaining = Assert.Single(await check.Set<RepositoryGrant>().ToListAsync(Ct));
        Assert.NotNull(remaining.TeamId);
    }

    [Fact]
    public async Task Deleting_a_repository_removes_its_grants()
    {
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Write);

        await data.Repositories.DeleteAsync(TestDatabase.Administrator, "acme", Ct);

        await using var db = database.OpenContext();
        Assert.Empty(await db.Set<RepositoryGrant>().ToListAsync(Ct));
    }
}
