using System.Text.RegularExpressions;
using Bunit;
using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.ApiKeys;

public sealed partial class ApiKeysPageTests : PortalComponentTest
{
    private readonly Actor ada;

    public ApiKeysPageTests() : base(withDatabase: true)
    {
        // Any signed-in user may have keys: no role at all.
        SignIn("ada@example.com");
        ada = KeyOwners.Add(Database, TestDatabase.ActorWith("ada@example.com"));
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public void Explains_how_keys_are_used_and_says_there_are_none_yet()
    {
        var page = Render<ApiKeysPage>();

        page.WaitForAssertion(() => Assert.Contains("You have no API keys yet", page.Find("#api-keys-empty").TextContent));
        var intro = page.Find("#api-keys-intro").TextContent;
        Assert.Contains("/api/v1", intro);
        Assert.Contains("X-Api-Key", intro);
        Assert.Contains("with your roles", intro);
        var link = page.Find("#api-reference-link");
        Assert.Equal("api-reference/", link.GetAttribute("href"));
        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Empty(page.FindAll("#new-api-key"));
    }

    [Fact]
    public async Task Creating_a_key_shows_its_secret_once_and_the_list_only_its_prefix()
    {
        var page = Render<ApiKeysPage>();

        page.Find("#api-key-name").Change("Billing sync");
        await page.Find("#create-api-key").ClickAsync(new MouseEventArgs());

        var secret = page.WaitForElement("#new-api-key-secret").GetAttribute("value") ?? "";
        Assert.Matches(SecretFormat(), secret);
        Assert.Contains("This is the only time the key is shown", page.Find("#new-api-key-warning").TextContent);
        Assert.Equal($"curl -H \"X-Api-Key: {secret}\" http://localhost/api/v1/repos", page.Find("#api-key-curl").TextContent);
        var stored = await StoredKeysAsync();
        Assert.Equal(ApiKeySecret.Hash(secret), Assert.Single(stored).SecretHash);

        var list = page.Find("#api-keys");
        Assert.Equal("Billing sync", list.QuerySelector(".api-key-name")!.TextContent);
        Assert.Equal(secret[..ApiKeySecret.PrefixLength] + "…", list.QuerySelector(".api-key-prefix")!.TextContent);
        Assert.DoesNotContain(secret, list.OuterHtml);
        Assert.Equal("never", list.QuerySelector(".api-key-last-used")!.TextContent);
        Assert.Equal("active", list.QuerySelector(".api-key-status")!.TextContent.Trim());
        // The form is ready for the next key, without complaining about the now empty name.
        Assert.Equal("", page.Find("#api-key-name").GetAttribute("value") ?? "");
        Assert.DoesNotContain("Name is required", page.Find("#create-api-key-form").TextContent);

        // Dismissed, or the page opened again: the secret is gone for good, the key stays listed.
        await page.Find("#dismiss-api-key").ClickAsync(new MouseEventArgs());
        Assert.DoesNotContain(secret, page.Markup);
        var reopened = Render<ApiKeysPage>();
        reopened.WaitForAssertion(() => Assert.Single(reopened.FindAll(".api-key-name")));
        Assert.DoesNotContain(secret, reopened.Markup);
        Assert.Empty(reopened.FindAll("#new-api-key"));
    }

    [Fact]
    public async Task A_second_key_replaces_the_first_secret_on_screen()
    {
        var page = Render<ApiKeysPage>();
        page.Find("#api-key-name").Change("First");
        await page.Find("#create-api-key").ClickAsync(new MouseEventArgs());
        var first = page.WaitForElement("#new-api-key-secret").GetAttribute("value")!;

        page.Find("#api-key-name").Change("Second");
        await page.Find("#create-api-key").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["Second", "First"], page.FindAll(".api-key-name").Select(e => e.TextContent)));
        var second = page.Find("#new-api-key-secret").GetAttribute("value")!;
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(first, page.Markup);
        Assert.Equal(2, (await StoredKeysAsync()).Count);
    }

    [Fact]
    public async Task An_empty_name_is_refused_on_the_field_and_nothing_is_stored()
    {
        var page = Render<ApiKeysPage>();

        page.Find("#api-key-name").Change("   ");
        await page.Find("#create-api-key").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Contains("Name is required.", page.Find("#create-api-key-form").TextContent));
        Assert.Empty(page.FindAll("#new-api-key"));
        Assert.Empty(await StoredKeysAsync());
    }

    [Fact]
    public async Task Copy_puts_the_secret_on_the_clipboard_and_says_so()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var page = Render<ApiKeysPage>();
        page.Find("#api-key-name").Change("CI");
        await page.Find("#create-api-key").ClickAsync(new MouseEventArgs());
        var secret = page.WaitForElement("#new-api-key-secret").GetAttribute("value");

        await page.Find("#copy-api-key").ClickAsync(new MouseEventArgs());

        var copy = JSInterop.VerifyInvoke("navigator.clipboard.writeText");
        Assert.Equal(secret, Assert.Single(copy.Arguments));
        snackbars.WaitForAssertion(() => Assert.Contains("Copied", snackbars.Markup));
    }

    [Fact]
    public async Task Revoking_asks_for_confirmation_and_shows_the_key_as_revoked()
    {
        var created = await Services.GetRequiredService<ApiKeyService>().CreateAsync(ada, new CreateApiKeyInput { Name = "Old laptop" }, Ct);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();
        var revoke = $"#revoke-api-key-{created.Key.Id}";
        page.WaitForElement(revoke);

        // The click's handler waits for the dialog, so it completes only after the dialog is answered.
        var cancelled = page.Find(revoke).ClickAsync(new MouseEventArgs());
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke 'Old laptop'", dialogs.Markup));
        await dialogs.Find("#confirm-cancel").ClickAsync(new MouseEventArgs());
        await cancelled;
        Assert.Empty(dialogs.FindAll("#confirm-ok"));
        Assert.Null(Assert.Single(await StoredKeysAsync()).RevokedAt);
        Assert.Equal("active", page.Find(".api-key-status").TextContent.Trim());

        var confirmed = page.Find(revoke).ClickAsync(new MouseEventArgs());
        dialogs.WaitForElement("#confirm-ok");
        await dialogs.Find("#confirm-ok").ClickAsync(new MouseEventArgs());
        await confirmed;

        page.WaitForAssertion(() => Assert.Equal("revoked", page.Find(".api-key-status").TextContent.Trim()));
        Assert.Empty(page.FindAll(revoke));
        Assert.NotNull(Assert.Single(await StoredKeysAsync()).RevokedAt);
    }

    [Fact]
    public async Task Lists_only_the_signed_in_users_keys_with_when_they_were_last_used()
    {
        var keys = Services.GetRequiredService<ApiKeyService>();
        var mine = await keys.CreateAsync(ada, new CreateApiKeyInput { Name = "Mine" }, Ct);
        var bob = KeyOwners.Add(Database, TestDatabase.ActorWith("bob@example.com"));
        await keys.CreateAsync(bob, new CreateApiKeyInput { Name = "Bob's" }, Ct);
        await using (var db = Database.OpenContext())
        {
            await db.Set<ApiKey>().Where(k => k.Id == mine.Key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc)), Ct);
        }

        var page = Render<ApiKeysPage>();

        page.WaitForAssertion(() => Assert.Equal(["Mine"], page.FindAll(".api-key-name").Select(e => e.TextContent)));
        Assert.Equal("2026-03-01 09:30 UTC", page.Find(".api-key-last-used").TextContent);
        Assert.DoesNotContain("Bob's", page.Markup);
    }

    private async Task<List<ApiKey>> StoredKeysAsync()
    {
        await using var db = Database.OpenContext();
        return await db.Set<ApiKey>().AsNoTracking().ToListAsync(Ct);
    }

    [GeneratedRegex("^epk_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretFormat();
}
