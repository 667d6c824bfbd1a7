using Bunit;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Audit;

public sealed class AuditTrailPanelTests : PortalComponentTest
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public AuditTrailPanelTests() : base(withDatabase: true)
    {
    }

    [Fact]
    public async Task Shows_only_the_entries_of_its_own_entity_newest_first()
    {
        SignIn("ada@example.com", Roles.Administrator);
        await SeedAsync();

        var panel = RenderPanel(AuditEntityTypes.Repository, "alpha");

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".audit-trail-entry").Count));
        var summaries = panel.FindAll(".audit-summary").Select(e => e.TextContent).ToArray();
        Assert.Contains("'Alpha tools'", summaries[0]);
        Assert.Contains("repository 'alpha' (alpha)", summaries[1]);
        Assert.Equal(["update", "create"], panel.FindAll(".audit-action").Select(e => e.TextContent.Trim()));
        Assert.DoesNotContain("beta", panel.Markup);
        Assert.DoesNotContain("Acme", panel.Markup);
    }

    [Fact]
    public async Task Shows_the_latest_page_and_says_how_many_there_are()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var repositories = Services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "alpha", Name = "v0" }, Ct);
        for (var i = 1; i <= 3; i++)
        {
            await repositories.UpdateAsync(TestDatabase.Administrator, "alpha", new RepositoryInput { Slug = "alpha", Name = $"v{i}" }, Ct);
        }

        var panel = RenderPanel(AuditEntityTypes.Repository, "alpha", pageSize: 2);

        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll(".audit-trail-entry").Count));
        Assert.Contains("'v3'", panel.FindAll(".audit-summary")[0].TextContent);
        Assert.Contains("latest 2 of 4 changes", panel.Find(".audit-trail-more").TextContent);
    }

    [Fact]
    public void Says_when_the_entity_has_no_history()
    {
        SignIn("ada@example.com", Roles.AccountManager);

        var panel = RenderPanel(AuditEntityTypes.Customer, "42");

        panel.WaitForAssertion(() => Assert.Contains("No changes recorded yet", panel.Find(".audit-trail-empty").TextContent));
    }

    [Fact]
    public async Task Stays_hidden_from_people_who_may_not_read_the_audit_log()
    {
        SignIn("tom@example.com", Roles.TokenManager);
        await SeedAsync();

        var panel = RenderPanel(AuditEntityTypes.Repository, "alpha");

        Assert.Empty(panel.FindAll(".audit-trail"));
        Assert.DoesNotContain("alpha", panel.Markup);
    }

    private IRenderedComponent<AuditTrailPanel> RenderPanel(string entityType, string entityId, int pageSize = 10) =>
        Render<AuditTrailPanel>(p => p
            .Add(c => c.EntityType, entityType)
            .Add(c => c.EntityId, entityId)
            .Add(c => c.PageSize, pageSize));

    private async Task SeedAsync()
    {
        var repositories = Services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "alpha", Name = "alpha" }, Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "beta", Name = "beta" }, Ct);
        await Services.GetRequiredService<CustomerService>().CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme" }, Ct);
        await repositories.UpdateAsync(TestDatabase.Administrator, "alpha", new RepositoryInput { Slug = "alpha", Name = "Alpha tools" }, Ct);
    }
}
