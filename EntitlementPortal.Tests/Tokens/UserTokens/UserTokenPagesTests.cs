using Bunit;
using EntitlementPortal.Features.MyTokens;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Features.Tokens.UserTokens;
using EntitlementPortal.Tests.Repositories;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.UserTokens;

/// <summary>The My tokens page and the user token sections of the repository page, over the real services and database.</summary>
public sealed class UserTokenPagesTests : RepositoryComponentTest
{
    private const string Bob = "bob@example.com";

    private PrivilegeTestData Data => new(Database, Services);

    private UserTokenService UserTokens => Services.GetRequiredService<UserTokenService>();

    [Fact]
    public async Task My_tokens_without_a_user_token_explains_how_to_get_one()
    {
        await Data.UserAsync(Bob);
        SignIn(Bob);

        var page = Render<MyTokensPage>();

        page.WaitForAssertion(() => Assert.Contains("first time you open a private repository", page.Find("#my-tokens-empty").TextContent));
    }

    [Fact]
    public async Task My_tokens_lists_each_user_token_masked_until_revealed_with_ready_commands()
    {
        var bob = await Data.UserAsync(Bob);
        await Data.RepositoryAsync("acme");
        await Data.RepositoryAsync("beta");
        await Data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        await Data.GrantUserAsync("beta", Bob, RepositoryPrivilege.Read);
        var acme = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        await UserTokens.GetOrCreateAsync(bob, "beta", Ct);
        SignIn(Bob);
        RenderDialogHost();

        var page = Render<MyTokensPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#user-token-beta")));
        Assert.Single(page.FindAll("#user-token-acme"));
        Assert.Empty(page.FindAll("#my-tokens-empty"));
        Assert.Equal(acme.SecretHint, page.Find("#user-token-acme-token-secret-value").TextContent.Trim());
        Assert.DoesNotContain(acme.Token!, page.Markup);
        Assert.Contains("pip install", page.Find("#user-token-acme-snippet-pip").TextContent);
        Assert.Contains("npm install", page.Find("#user-token-acme-snippet-npm").TextContent);

        page.Find("#user-token-acme-token-reveal").Click();

        page.WaitForAssertion(() => Assert.Equal(acme.Token, page.Find("#user-token-acme-token-secret-value").TextContent.Trim()));
        Assert.EndsWith($"/dl/{acme.Token}/acme/", page.Find("#user-token-acme-snippet-index").TextContent.Trim());
    }

    [Fact]
    public async Task Opening_a_private_repository_as_a_reader_creates_their_token_and_refresh_replaces_it_after_confirmation()
    {
        await Data.UserAsync(Bob);
        await Data.RepositoryAsync("acme");
        await Data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        SignIn(Bob);
        var dialogs = RenderDialogHost();

        var page = Render<RepositoryDetailPage>(p => p.Add(x => x.Slug, "acme"));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("#user-token-acme")));
        Assert.Empty(page.FindAll("#members-user-tokens"));
        var before = await StoredSecretHintsAsync();
        Assert.Equal(before.Single(), page.Find("#user-token-acme-token-secret-value").TextContent.Trim());

        page.Find("#user-token-acme-refresh").Click();
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("#confirm-ok")));
        dialogs.Find("#confirm-ok").Click();

        page.WaitForAssertion(() => Assert.NotEqual(before.Single(), page.Find("#user-token-acme-token-secret-value").TextContent.Trim()));
        Assert.Equal((await StoredSecretHintsAsync()).Single(), page.Find("#user-token-acme-token-secret-value").TextContent.Trim());
    }

    [Fact]
    public async Task Repository_admin_sees_the_members_tokens_without_their_secrets()
    {
        var bob = await Data.UserAsync(Bob);
        await Data.UserAsync("owner@example.com");
        await Data.RepositoryAsync("acme");
        await Data.GrantUserAsync("acme", Bob, RepositoryPrivilege.Read);
        await Data.GrantUserAsync("acme", "owner@example.com", RepositoryPrivilege.Admin);
        var bobs = await UserTokens.GetOrCreateAsync(bob, "acme", Ct);
        SignIn("owner@example.com");
        RenderDialogHost();

        var page = Render<RepositoryDetailPage>(p => p.Add(x => x.Slug, "acme"));

        page.WaitForAssertion(() => Assert.Contains(Bob, page.Find($".member-user-token[data-user='{bobs.UserId}']").TextContent));
        Assert.Contains(bobs.SecretHint, page.Find($".member-user-token[data-user='{bobs.UserId}']").TextContent);
        Assert.DoesNotContain(bobs.Token!, page.Markup);
        // The admin's own token is on the page too, and it is the only secret the admin could reveal.
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#user-token-acme")));
    }

    [Fact]
    public async Task Repository_with_user_tokens_off_tells_the_reader_instead_of_making_one()
    {
        await Data.UserAsync(Bob);
        await Repositories.CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = "quiet", Name = "Quiet", UserTokensEnabled = false }, Ct);
        await Data.GrantUserAsync("quiet", Bob, RepositoryPrivilege.Read);
        SignIn(Bob);
        RenderDialogHost();

        var page = Render<RepositoryDetailPage>(p => p.Add(x => x.Slug, "quiet"));

        page.WaitForAssertion(() => Assert.Contains("turned off", page.Find("#user-token-quiet-notice").TextContent));
        Assert.Empty(page.FindAll("#user-token-quiet-refresh"));
        Assert.Empty(await StoredSecretHintsAsync());
    }

    private async Task<List<string>> StoredSecretHintsAsync()
    {
        await using var db = Database.OpenContext();
        return await db.Set<EntitlementToken>().Where(t => t.Kind == TokenKind.User).Select(t => t.SecretHint).ToListAsync(Ct);
    }
}
