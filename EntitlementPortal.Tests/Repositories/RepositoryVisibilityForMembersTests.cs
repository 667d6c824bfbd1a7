using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Repositories;

/// <summary>Users without a staff role see public repositories and the private ones they hold a privilege on.</summary>
public sealed class RepositoryVisibilityForMembersTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly PrivilegeTestData data;

    public RepositoryVisibilityForMembersTests()
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

    private async Task<string[]> ListedAsync(Actor actor, RepositoryVisibility? visibility = null) =>
        (await data.Repositories.ListAsync(actor, new PageRequest(PageSize: 100), visibility, Ct)).Items.Select(r => r.Slug).ToArray();

    private async Task SeedAsync()
    {
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("direct");
        await data.RepositoryAsync("via-team");
        await data.RepositoryAsync("secret");
        await data.RepositoryAsync("open", RepositoryVisibility.Public);
        await data.TeamAsync("builders", "bob@example.com");
        await data.GrantUserAsync("direct", "bob@example.com", RepositoryPrivilege.Read);
        await data.GrantTeamAsync("via-team", "builders", RepositoryPrivilege.Write);
    }

    [Fact]
    public async Task Member_lists_public_repositories_and_the_private_ones_granted_to_them_or_their_team()
    {
        await SeedAsync();
        var bob = TestDatabase.ActorWith("bob@example.com");

        Assert.Equal(["direct", "open", "via-team"], await ListedAsync(bob));
        Assert.Equal(["direct", "via-team"], await ListedAsync(bob, RepositoryVisibility.Private));
        Assert.Equal(3, (await data.Repositories.ListAsync(bob, new PageRequest(PageSize: 1), cancellationToken: Ct)).Total);
        Assert.Equal("direct", (await data.Repositories.GetAsync(bob, "direct", Ct)).Slug);
        await Assert.ThrowsAsync<NotFoundException>(() => data.Repositories.GetAsync(bob, "secret", Ct));
    }

    [Fact]
    public async Task Losing_the_grant_or_the_team_hides_the_private_repository_again()
    {
        await SeedAsync();
        var bob = TestDatabase.ActorWith("bob@example.com");

        await data.Privileges.RemoveUserPrivilegeAsync(TestDatabase.Administrator, "direct", "bob@example.com", Ct);
        await data.Teams.RemoveMemberAsync(TestDatabase.Administrator, "builders", "bob@example.com", Ct);

        Assert.Equal(["open"], await ListedAsync(bob));
        await Assert.ThrowsAsync<NotFoundException>(() => data.Repositories.GetAsync(bob, "via-team", Ct));
    }

    [Fact]
    public async Task Someone_else_without_a_grant_sees_only_public_repositories_and_staff_see_all()
    {
        await SeedAsync();

        Assert.Equal(["open"], await ListedAsync(TestDatabase.ActorWith("carol@example.com")));
        Assert.Equal(["direct", "open", "secret", "via-team"], await ListedAsync(TestDatabase.ActorWith("am@example.com", Roles.AccountManager)));
    }

    [Fact]
    public async Task Locked_member_sees_no_private_repository()
    {
        await SeedAsync();
        var locked = await data.UserAsync("locked@example.com", locked: true);
        await data.GrantUserAsync("secret", "locked@example.com", RepositoryPrivilege.Admin);

        Assert.Equal(["open"], await ListedAsync(locked));
    }
}
