using Bunit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Webhooks;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Repositories;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Webhooks;

public sealed class WebhookPagesTests : RepositoryComponentTest
{
    private WebhookSubscriptions Subscriptions => Services.GetRequiredService<WebhookSubscriptions>();
    private WebhookDeliveries Deliveries => Services.GetRequiredService<WebhookDeliveries>();

    private static string FieldError<T>(IRenderedComponent<T> fragment, string fieldId) where T : IComponent =>
        fragment.Find(fieldId).Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private Task<WebhookView> SeedAsync(string url = "https://93.184.216.34/hooks/billing") =>
        Subscriptions.CreateAsync(TestDatabase.Administrator,
            new WebhookInput { Url = url, Events = [WebhookEventNames.TokenCreated], Secret = "seeded-secret-0123456789" }, Ct);

    private async Task<string[]> StoredUrlsAsync() =>
        (await Subscriptions.ListAsync(TestDatabase.Administrator, new PageRequest(), Ct)).Items.Select(w => w.Url).ToArray();

    [Fact]
    public void Without_webhooks_shows_the_empty_state()
    {
        SignIn("ada@example.com", Roles.Administrator);
        RenderDialogHost();

        var page = Render<WebhooksPage>();

        page.WaitForAssertion(() => Assert.Contains("No webhooks yet", page.Find("#webhooks-empty").TextContent));
    }

    [Fact]
    public async Task Creating_a_webhook_lists_and_stores_it_with_the_chosen_events()
    {
        await SeedAsync("https://93.184.216.34/hooks/first");
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<WebhooksPage>();

        page.Find("#new-webhook").Click();
        dialogs.WaitForElement("#save-webhook");
        Assert.Empty(dialogs.FindAll(".mud-input-error"));
        dialogs.Find("#webhook-url").Input("https://93.184.216.34/hooks/second");
        dialogs.Find("#webhook-secret").Input("a-long-enough-secret-123");
        dialogs.Find("#save-webhook").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#save-webhook")));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".webhook-url").Count));
        Assert.Equal(["https://93.184.216.34/hooks/first", "https://93.184.216.34/hooks/second"], await StoredUrlsAsync());
        var created = (await Subscriptions.ListAsync(TestDatabase.Administrator, new PageRequest(), Ct)).Items[1];
        Assert.Equal([WebhookEventNames.TokenCreated, WebhookEventNames.TokenDisabled], created.Events);
    }

    [Fact]
    public async Task A_private_target_shows_the_services_reason_on_the_url_field_and_stores_nothing()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var page = Render<WebhooksPage>();

        page.Find("#new-webhook").Click();
        dialogs.WaitForElement("#webhook-url").Input("http://169.254.169.254/latest/meta-data/");
        dialogs.Find("#webhook-secret").Input("a-long-enough-secret-123");
        dialogs.Find("#save-webhook").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("private, loopback or link-local", FieldError(dialogs, "#webhook-url")));
        Assert.Empty(await StoredUrlsAsync());
    }

    [Fact]
    public async Task The_deliveries_page_shows_attempts_and_errors_and_queues_test_events_and_resends()
    {
        var webhook = await SeedAsync();
        var test = await Deliveries.SendTestAsync(TestDatabase.Administrator, webhook.Id, Ct);
        await using (var db = Database.OpenContext())
        {
            await db.Set<WebhookDelivery>().Where(d => d.Id == test.Id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed).SetProperty(d => d.Attempts, 10)
                .SetProperty(d => d.LastStatusCode, 503).SetProperty(d => d.LastError, "The receiver answered 503."), Ct);
        }
        SignIn("ada@example.com", Roles.Administrator);
        Render<MudSnackbarProvider>();

        var page = Render<WebhookDeliveriesPage>(p => p.Add(x => x.Id, webhook.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".delivery-status")));
        Assert.Contains("failed", page.Find(".delivery-status").TextContent);
        Assert.Contains("10 of 10", page.Find(".delivery-attempts").TextContent);
        Assert.Contains("503", page.Find(".delivery-response").TextContent);
        Assert.Contains("The receiver answered 503.", page.Find(".delivery-response").TextContent);

        page.Find("#send-test-event").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".delivery-status").Count));
        page.FindAll(".delivery-resend").Last().Click();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".delivery-status").Count));
        var stored = await Deliveries.ListAsync(TestDatabase.Administrator, webhook.Id, new PageRequest(), cancellationToken: Ct);
        Assert.Contains(stored.Items, d => d.ResentFromId == test.Id);
    }

    [Fact]
    public void An_unknown_webhook_shows_a_message_instead_of_the_table()
    {
        SignIn("ada@example.com", Roles.Administrator);

        var page = Render<WebhookDeliveriesPage>(p => p.Add(x => x.Id, 4242));

        page.WaitForAssertion(() => Assert.Contains("Webhook 4242 was not found.", page.Find("#webhook-problem").TextContent));
        Assert.Empty(page.FindAll("#deliveries-table"));
    }
}
