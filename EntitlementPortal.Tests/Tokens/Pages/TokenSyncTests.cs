using Bunit;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Tests.Tokens.Pages;

public sealed class TokenSyncTests : TokenPageTest
{
    [Fact]
    public async Task Sync_offers_other_private_repositories_states_the_consequence_and_shows_the_counts()
    {
        await SeedAsync("Shared", repo: "globex", secret: "shared-secret-1");
        await SeedAsync("New here", repo: "globex", secret: "new-secret-11");
        await SeedAsync("Old name", repo: "acme", secret: "shared-secret-1");
        await SeedAsync("Stray", repo: "acme", secret: "stray-secret-1");
        SignIn("ada@example.com", Roles.TokenManager);
        var dialogs = RenderDialogHost();
        var list = Render<TokenList>(p => p.Add(l => l.Repo, "acme"));
        list.WaitForAssertion(() => Assert.Equal(["Old name", "Stray"], Names(list)));

        list.Find("#sync-tokens").Click();
        dialogs.WaitForElement("#token-sync-source");
        Assert.True(dialogs.Find("#token-sync-confirm").HasAttribute("disabled"));
        dialogs.Find("#token-sync-source").Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.Equal(["globex (Globex builds)"],
            Popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToArray()));
        Popovers.Find(".mud-list-item").Click();
        dialogs.WaitForAssertion(() => Assert.StartsWith("Tokens in acme not in globex will be deleted.", Text(dialogs, "#token-sync-consequence")));
        Assert.Equal(["Old name", "Stray"], (await StoredAsync()).Select(t => t.Name));

        dialogs.Find("#token-sync-confirm").Click();

        list.WaitForAssertion(() => Assert.Equal("Synced from globex: 1 created, 1 updated, 1 deleted.", Text(list, "#token-list-notice")));
        list.WaitForAssertion(() => Assert.Equal(["New here", "Shared"], Names(list)));
        Assert.Equal(["new-secret-11", "shared-secret-1"], (await StoredAsync()).Select(t => t.Token));
    }

    [Fact]
    public async Task Cancelling_the_sync_changes_nothing()
    {
        await SeedAsync("Stray", repo: "acme");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var list = Render<TokenList>(p => p.Add(l => l.Repo, "acme"));
        list.WaitForElement("#sync-tokens").Click();

        dialogs.WaitForElement("#token-sync-cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#token-sync-source")));
        Assert.Equal(["Stray"], (await StoredAsync()).Select(t => t.Name));
        Assert.Empty(list.FindAll("#token-list-notice"));
    }
}

public sealed class TokenSyncAllowanceTests() : TokenPageTest(maxActiveTokens: 2)
{
    [Fact]
    public async Task A_sync_that_would_exceed_the_plan_is_refused_in_the_dialog()
    {
        await SeedAsync("One", repo: "globex");
        await SeedAsync("Two", repo: "globex");
        await SeedAsync("Off", repo: "acme", active: false);
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var list = Render<TokenList>(p => p.Add(l => l.Repo, "acme"));
        list.WaitForElement("#sync-tokens").Click();
        dialogs.WaitForElement("#token-sync-source").Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForElement(".mud-list-item").Click();
        dialogs.WaitForElement("#token-sync-consequence");

        // The globex tokens already fill the plan; copying them here would double them.
        dialogs.Find("#token-sync-confirm").Click();

        dialogs.WaitForAssertion(() => Assert.Equal(
            "After the sync 4 tokens would be active, but the plan allows 2. Nothing was changed.", Text(dialogs, "#token-sync-error")));
        Assert.Equal(["Off"], (await StoredAsync()).Select(t => t.Name));
    }
}
