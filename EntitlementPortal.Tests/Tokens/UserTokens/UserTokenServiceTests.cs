using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Features.Tokens.UserTokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Repositories;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.UserTokens;

/// <summary>The user token service over a real migrated SQLite file, with people and grants made by the real services.</summary>
public sealed class UserTokenServiceTests : IDisposable
{
    private const string Bob = "bob@example.com";
    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly PrivilegeTestData data;

    public UserTokenServiceTests()
    {
        services = database.BuildServices();
        data = new PrivilegeTestData(database, services);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UserTokenService UserTokens => services.GetRequiredService<UserTokenService>();

    public void Dispose()
    {
        services.Dispose();
        database.Dispose();
    }

    [Fact]
    public async Task Reader_gets_one_user_token_created_on_the_first_call_audited_and_not_counted_in_the_allowance()
    {
        var bob = await data.UserAsync(Bob);
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);

        var first = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        var second = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Token, second.Token);
        Assert.True(TokenSecret.IsGenerated(first.Token));
        Assert.Equal(TokenKind.User, first.Kind);
        Assert.Equal(PrivilegeTestData.IdOf(Bob), first.UserId);
        Assert.Null(first.CustomerId);
        Assert.Null(first.LimitDownloads);
        Assert.Empty(first.AllowedCidrs);
        Assert.Equal(0, (await services.GetRequiredService<TokenQueries>().GetAllowanceAsync(Ct)).Active);
        await using var db = database.OpenContext();
        var stored = await db.Set<EntitlementToken>().SingleAsync(Ct);
        Assert.DoesNotContain(first.Token!, stored.SecretDigest + stored.SecretCiphertext + stored.SecretHint);
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityType == AuditEntityTypes.Token).ToListAsync(Ct);
        var created = Assert.Single(audit);
        Assert.Equal(AuditActions.Create, created.Action);
        Assert.Equal(first.Id.ToString(), created.EntityId);
        Assert.DoesNotContain(first.Token!, created.Summary);
    }

    [Fact]
    public async Task Two_first_calls_on_two_hosts_make_exactly_one_token()
    {
        var bob = await data.UserAsync(Bob);
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        var hold = new TransactionHold();
        await using var other = database.AddTo(new ServiceCollection(), hold).BuildServiceProvider();

        // The other host has looked and found no token, and waits just before inserting one while this host creates it.
        var held = hold.RunAsync(() => other.GetRequiredService<UserTokenService>().GetOrCreateAsync(bob, "acme", Ct));
        TokenView mine;
        try
        {
            await hold.WaitUntilReachedAsync(held, Ct);
            mine = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        }
        finally
        {
            hold.Release();
        }
        var theirs = await held;

        Assert.Equal(mine.Id, theirs.Id);
        Assert.Equal(mine.Token, theirs.Token);
        await using var db = database.OpenContext();
        Assert.Equal(1, await db.Set<EntitlementToken>().CountAsync(t => t.Kind == TokenKind.User, Ct));
    }

    [Fact]
    public async Task Without_read_staff_get_forbidden_and_others_not_found_as_for_the_repository_itself()
    {
        var manager = await data.UserAsync("manager@example.com", false, Roles.TokenManager);
        var stranger = await data.UserAsync("stranger@example.com");
        await data.RepositoryAsync("acme");

        await Assert.ThrowsAsync<ForbiddenException>(() => UserTokens.GetOrCreateAsync(manager, "acme", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => UserTokens.GetOrCreateAsync(stranger, "acme", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => UserTokens.GetOrCreateAsync(manager, "missing", Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => UserTokens.RefreshAsync(manager, "acme", Ct));
    }

    [Fact]
    public async Task Public_repository_and_user_tokens_off_are_conflicts()
    {
        var bob = await data.UserAsync(Bob);
        await data.RepositoryAsync("open", RepositoryVisibility.Public);
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        await data.GrantUserAsync("open", Bob, RepositoryPrivilege.Read);
        await TurnUserTokensOffAsync("acme");

        var publicRepo = await Assert.ThrowsAsync<ConflictException>(() => UserTokens.GetOrCreateAsync(bob, "open", Ct));
        var off = await Assert.ThrowsAsync<ConflictException>(() => UserTokens.GetOrCreateAsync(bob, "acme", Ct));

        Assert.Contains("public", publicRepo.Message);
        Assert.Contains("turned off", off.Message);
    }

    [Fact]
    public async Task Refresh_gives_the_owner_a_new_secret_and_creates_one_for_a_member_without_a_token()
    {
        var bob = await data.UserAsync(Bob);
        var carol = await data.UserAsync("carol@example.com");
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        await data.GrantUserAsync("acme", "carol@example.com", RepositoryPrivilege.Read);
        var before = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        var carols = await UserTokens.GetOrCreateAsync(carol, "acme", Ct);

        var refreshed = await UserTokens.RefreshAsync(bob, "acme", Ct);

        Assert.Equal(before.Id, refreshed.Id);
        Assert.NotEqual(before.Token, refreshed.Token);
        Assert.NotNull(refreshed.RefreshedAt);
        Assert.Equal(refreshed.Token, (await UserTokens.GetOrCreateAsync(bob, "acme", Ct)).Token);
        Assert.Equal(carols.Token, (await UserTokens.GetOrCreateAsync(carol, "acme", Ct)).Token);

        var dave = await data.UserAsync("dave@example.com");
        await data.GrantUserAsync("acme", "dave@example.com", RepositoryPrivilege.Read);
        var davesFirst = await UserTokens.RefreshAsync(dave, "acme", Ct);
        Assert.Equal(PrivilegeTestData.IdOf("dave@example.com"), davesFirst.UserId);
    }

    [Fact]
    public async Task My_list_holds_only_repositories_still_readable_with_user_tokens_on()
    {
        var bob = await data.UserAsync(Bob);
        await data.RepositoryAsync("acme");
        await data.RepositoryAsync("beta");
        await data.RepositoryAsync("gamma");
        await data.TeamAsync("builders", Bob);
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        await data.GrantTeamAsync("beta", "builders", RepositoryPrivilege.Write);
        await data.GrantUserAsync("gamma", Bob, RepositoryPrivilege.Read);
        foreach (var repo in new[] { "acme", "beta", "gamma" })
        {
            await UserTokens.GetOrCreateAsync(bob, repo, Ct);
        }

        Assert.Equal(["acme", "beta", "gamma"], await MineAsync(bob));
        await data.Privileges.RemoveUserPrivilegeAsync(TestDatabase.Administrator, "gamma", PrivilegeTestData.IdOf(Bob), Ct);
        await TurnUserTokensOffAsync("acme");
        var mine = await UserTokens.ListMineAsync(bob, new PageRequest(), Ct);

        Assert.Equal(["beta"], mine.Items.Select(t => t.Repo));
        Assert.Equal(1, mine.Total);
        Assert.NotNull(mine.Items[0].Token);
    }

    [Fact]
    public async Task Repository_admins_and_administrators_see_members_tokens_readers_are_refused()
    {
        var bob = await data.UserAsync(Bob);
        var carol = await data.UserAsync("carol@example.com");
        var admin = await data.UserAsync("owner@example.com");
        var stranger = await data.UserAsync("stranger@example.com");
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        await data.GrantUserAsync("acme", "carol@example.com", RepositoryPrivilege.Write);
        await data.GrantUserAsync("acme", "owner@example.com", RepositoryPrivilege.Admin);
        var bobs = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        await UserTokens.GetOrCreateAsync(carol, "acme", Ct);

        var listed = await UserTokens.ListForRepositoryAsync(admin, "acme", Ct);

        Assert.Equal([Bob, "carol@example.com"], listed.Select(t => t.UserName));
        Assert.Equal(bobs.SecretHint, listed[0].SecretHint);
        Assert.Equal(2, (await UserTokens.ListForRepositoryAsync(TestDatabase.Administrator, "acme", Ct)).Count);
        await Assert.ThrowsAsync<ForbiddenException>(() => UserTokens.ListForRepositoryAsync(bob, "acme", Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => UserTokens.ListForRepositoryAsync(carol, "acme", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => UserTokens.ListForRepositoryAsync(stranger, "acme", Ct));
        Assert.False(await UserTokens.MaySeeMembersTokensAsync(bob, "acme", Ct));
        Assert.True(await UserTokens.MaySeeMembersTokensAsync(admin, "acme", Ct));
    }

    [Fact]
    public async Task Standard_token_service_never_finds_a_user_token()
    {
        var bob = await data.UserAsync(Bob);
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        var token = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        var queries = services.GetRequiredService<TokenQueries>();
        var lifecycle = services.GetRequiredService<TokenLifecycle>();

        await Assert.ThrowsAsync<NotFoundException>(() => queries.GetAsync(TestDatabase.Administrator, "acme", token.Id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => lifecycle.DisableAsync(TestDatabase.Administrator, "acme", token.Id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => lifecycle.DeleteAsync(TestDatabase.Administrator, "acme", token.Id, Ct));
        Assert.Empty((await queries.ListAsync(TestDatabase.Administrator, new TokenFilter("acme"), new PageRequest(), Ct)).Items);
    }

    [Fact]
    public async Task A_user_token_disabled_while_the_repository_was_public_is_enabled_again_by_its_owner()
    {
        var bob = await data.UserAsync(Bob);
        await data.RepositoryAsync("acme");
        await data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        var before = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        var input = (await data.Repositories.GetAsync(TestDatabase.Administrator, "acme", Ct)).ToInput();
        input.Visibility = RepositoryVisibility.Public;
        await data.Repositories.UpdateAsync(TestDatabase.Administrator, "acme", input, confirmDisablingTokens: true, Ct);
        input.Visibility = RepositoryVisibility.Private;
        await data.Repositories.UpdateAsync(TestDatabase.Administrator, "acme", input, Ct);
        Assert.False((await UserTokens.ListMineAsync(bob, new PageRequest(), Ct)).Items.Single().IsActive);

        var after = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);

        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.Token, after.Token);
        Assert.True(after.IsActive);
    }

    private async Task<string[]> MineAsync(Actor actor) =>
        (await UserTokens.ListMineAsync(actor, new PageRequest(), Ct)).Items.Select(t => t.Repo).ToArray();

    private async Task TurnUserTokensOffAsync(string repo)
    {
        var current = await data.Repositories.GetAsync(TestDatabase.Administrator, repo, Ct);
        var input = current.ToInput();
        input.UserTokensEnabled = false;
        await data.Repositories.UpdateAsync(TestDatabase.Administrator, repo, input, Ct);
    }
}
