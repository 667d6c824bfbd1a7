using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Repositories;

public sealed class RepositoryPrivilegeServiceTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly PrivilegeTestData data;

    public RepositoryPrivilegeServiceTests()
    {
        services = database.BuildServices();
        data = new PrivilegeTestData(database, services);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RepositoryPrivilegeService Privileges => data.Privileges;

    private static PrivilegeInput Write => PrivilegeInput.For(RepositoryPrivilege.Write);

    public void Dispose()
    {
        services.Dispose();
        database.Dispose();
    }

    private (RepositoryGrant[] Grants, AuditEntry[] Audit) Stored()
    {
        using var db = database.OpenContext();
        return (db.Set<RepositoryGrant>().AsNoTracking().OrderBy(g => g.Id).ToArray(),
            db.Set<AuditEntry>().AsNoTracking().Where(a => a.Action == AuditActions.Grant || a.Action == AuditActions.Revoke).OrderBy(a => a.Id).ToArray());
    }

    [Fact]
    public async Task Granting_changing_and_revoking_are_stored_listed_and_audited()
    {
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("acme");
        await data.TeamAsync("builders");

        var granted = await Privileges.SetUserPrivilegeAsync(TestDatabase.Administrator, "acme", "bob@example.com", PrivilegeInput.For(RepositoryPrivilege.Read), Ct);
        await Privileges.SetUserPrivilegeAsync(TestDatabase.Administrator, "acme", PrivilegeTestData.IdOf("bob@example.com"), new PrivilegeInput { Privilege = " Write " }, Ct);
        await Privileges.SetUserPrivilegeAsync(TestDatabase.Administrator, "acme", PrivilegeTestData.IdOf("bob@example.com"), Write, Ct);
        await Privileges.SetTeamPrivilegeAsync(TestDatabase.Administrator, "acme", "builders", PrivilegeInput.For(RepositoryPrivilege.Admin), Ct);

        Assert.Equal(new RepositoryGrantView(PrivilegeTestData.IdOf("bob@example.com"), null, RepositoryPrivilege.Read, "bob@example.com"), granted);
        var list = await Privileges.ListAsync(TestDatabase.Administrator, "acme", new PageRequest(), Ct);
        Assert.Equal(2, list.Total);
        Assert.Equal(
            [new RepositoryGrantView(PrivilegeTestData.IdOf("bob@example.com"), null, RepositoryPrivilege.Write, "bob@example.com"),
             new RepositoryGrantView(null, "builders", RepositoryPrivilege.Admin, "Team builders")],
            list.Items);
        Assert.Equal(
            ["Granted read on 'acme' to user bob@example.com (id-bob@example.com).",
             "Changed user bob@example.com (id-bob@example.com) on 'acme' from read to write.",
             "Granted admin on 'acme' to team 'builders'."],
            Stored().Audit.Select(a => a.Summary));

        await Privileges.RemoveTeamPrivilegeAsync(TestDatabase.Administrator, "acme", "builders", Ct);
        await Privileges.RemoveTeamPrivilegeAsync(TestDatabase.Administrator, "acme", "builders", Ct);

        var (grants, audit) = Stored();
        Assert.Equal(RepositoryPrivilege.Write, Assert.Single(grants).Privilege);
        Assert.Equal((AuditActions.Revoke, "Revoked admin on 'acme' from team 'builders'."), (audit[^1].Action, audit[^1].Summary));
        Assert.Equal(4, audit.Length);
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Bad_privilege_is_a_validation_error_on_privilege_and_changes_nothing(string? privilege)
    {
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", "bob@example.com", RepositoryPrivilege.Read);

        var invalid = await Assert.ThrowsAsync<ValidationException>(() =>
            Privileges.SetUserPrivilegeAsync(TestDatabase.Administrator, "acme", "bob@example.com", new PrivilegeInput { Privilege = privilege }, Ct));

        Assert.Equal(nameof(PrivilegeInput.Privilege), Assert.Single(invalid.Errors).PropertyName);
        Assert.Equal(RepositoryPrivilege.Read, Assert.Single(Stored().Grants).Privilege);
    }

    [Fact]
    public async Task Unknown_repository_user_or_team_is_not_found_and_changes_nothing()
    {
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("acme");

        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.SetUserPrivilegeAsync(TestDatabase.Administrator, "missing", "bob@example.com", Write, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.SetUserPrivilegeAsync(TestDatabase.Administrator, "acme", "nobody", Write, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.SetTeamPrivilegeAsync(TestDatabase.Administrator, "acme", "nobody", Write, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.RemoveUserPrivilegeAsync(TestDatabase.Administrator, "acme", "nobody", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.RemoveTeamPrivilegeAsync(TestDatabase.Administrator, "acme", "nobody", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.ListAsync(TestDatabase.Administrator, "missing", new PageRequest(), Ct));

        var (grants, audit) = Stored();
        Assert.Empty(grants);
        Assert.Empty(audit);
    }

    [Fact]
    public async Task Repository_admin_through_a_team_manages_members_of_that_repository_only()
    {
        var lead = await data.UserAsync("lead@example.com");
        await data.UserAsync("bob@example.com");
        await data.RepositoryAsync("acme");
        await data.RepositoryAsync("other");
        await data.TeamAsync("leads", "lead@example.com");
        await data.GrantTeamAsync("acme", "leads", RepositoryPrivilege.Admin);

        await Privileges.SetUserPrivilegeAsync(lead, "acme", "bob@example.com", Write, Ct);

        Assert.True(await Privileges.CanManageAsync(lead, "acme", Ct));
        Assert.Equal(2, (await Privileges.ListAsync(lead, "acme", new PageRequest(), Ct)).Total);
        Assert.Equal("lead@example.com", Stored().Audit[^1].ActorName);
        Assert.False(await Privileges.CanManageAsync(lead, "other", Ct));
        // Without any privilege on the private 'other', the lead may not even learn that it exists.
        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.SetUserPrivilegeAsync(lead, "other", "bob@example.com", Write, Ct));
    }

    [Theory]
    [InlineData(RepositoryPrivilege.Read)]
    [InlineData(RepositoryPrivilege.Write)]
    public async Task Member_below_admin_is_refused_with_a_clear_message_and_nothing_changes(RepositoryPrivilege own)
    {
        var bob = await data.UserAsync("bob@example.com");
        await data.UserAsync("carol@example.com");
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", "bob@example.com", own);

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() =>
            Privileges.SetUserPrivilegeAsync(bob, "acme", "bob@example.com", PrivilegeInput.For(RepositoryPrivilege.Admin), Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Privileges.SetUserPrivilegeAsync(bob, "acme", "carol@example.com", Write, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Privileges.RemoveUserPrivilegeAsync(bob, "acme", "bob@example.com", Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Privileges.ListAsync(bob, "acme", new PageRequest(), Ct));

        Assert.Equal("See and change a repository's members (user and team privileges) in 'acme' needs the Administrator role or admin on the repository.", refused.Message);
        var (grants, audit) = Stored();
        Assert.Equal(own, Assert.Single(grants).Privilege);
        Assert.Single(audit);
    }

    [Theory]
    [InlineData(Roles.AccountManager)]
    [InlineData(Roles.TokenManager)]
    public async Task Staff_roles_other_than_administrator_cannot_grant(string role)
    {
        var staff = await data.UserAsync("staff@example.com", locked: false, role);
        await data.RepositoryAsync("acme");

        await Assert.ThrowsAsync<ForbiddenException>(() => Privileges.SetUserPrivilegeAsync(staff, "acme", "staff@example.com", Write, Ct));

        Assert.Empty(Stored().Grants);
    }

    [Fact]
    public async Task Locked_repository_admin_can_no_longer_grant()
    {
        var lead = await data.UserAsync("lead@example.com");
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", "lead@example.com", RepositoryPrivilege.Admin);
        await using (var db = database.OpenContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == "lead@example.com", Ct);
            user.LockoutEnd = DateTimeOffset.UtcNow.AddDays(1);
            await db.SaveChangesAsync(Ct);
        }

        await Assert.ThrowsAsync<NotFoundException>(() => Privileges.SetUserPrivilegeAsync(lead, "acme", "lead@example.com", Write, Ct));

        Assert.Equal(RepositoryPrivilege.Admin, Assert.Single(Stored().Grants).Privilege);
    }
}
