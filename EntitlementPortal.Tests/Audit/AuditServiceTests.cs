using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.ApiKeys;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Audit;

public sealed class AuditServiceTests
{
    private static readonly Actor Grace = TestDatabase.ActorWith("grace@example.com", Roles.Administrator);
    private static CancellationToken None => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Roles.TokenManager)]
    [InlineData(null)]
    public async Task Token_managers_and_plain_users_may_not_read_the_audit_log(string? role)
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var audit = services.GetRequiredService<AuditService>();

        await Assert.ThrowsAsync<ForbiddenException>(() =>
            audit.ListAsync(TestDatabase.ActorWith("tom@example.com", role is null ? [] : [role]), new AuditQuery(), new PageRequest(), None));
    }

    [Fact]
    public async Task Account_managers_can_read_the_audit_log()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        await CreateRepositoryAsync(services, TestDatabase.Administrator, "alpha");

        var page = await services.GetRequiredService<AuditService>().ListAsync(
            TestDatabase.ActorWith("amy@example.com", Roles.AccountManager), new AuditQuery(), new PageRequest(), None);

        var entry = Assert.Single(page.Items);
        Assert.Equal("admin@example.com", entry.ActorName);
        Assert.Equal(AuditActions.Create, entry.Action);
        Assert.Equal(AuditEntityTypes.Repository, entry.EntityType);
        Assert.Equal("alpha", entry.EntityId);
        Assert.Equal("203.0.113.7", entry.ClientIp);
    }

    [Fact]
    public async Task Filters_by_actor_case_insensitively_and_by_part_of_the_name()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        await SeedAsync(services);

        var page = await ListAsync(services, new AuditQuery(Actor: "GRACE"));

        Assert.Equal(2, page.Total);
        Assert.All(page.Items, e => Assert.Equal("grace@example.com", e.ActorName));
    }

    [Fact]
    public async Task Filters_by_entity_type_and_entity_id()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        await SeedAsync(services);

        var repositories = await ListAsync(services, new AuditQuery(EntityType: AuditEntityTypes.Repository));
        var alpha = await ListAsync(services, new AuditQuery(EntityType: AuditEntityTypes.Repository, EntityId: "alpha"));

        Assert.Equal(3, repositories.Total);
        Assert.All(repositories.Items, e => Assert.Equal(AuditEntityTypes.Repository, e.EntityType));
        Assert.Equal([AuditActions.Update, AuditActions.Create], alpha.Items.Select(e => e.Action));
        Assert.All(alpha.Items, e => Assert.Equal("alpha", e.EntityId));
    }

    [Fact]
    public async Task Filters_by_action()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        await SeedAsync(services);

        var revoked = await ListAsync(services, new AuditQuery(Action: AuditActions.Revoke));

        var entry = Assert.Single(revoked.Items);
        Assert.Equal(AuditEntityTypes.Customer, entry.EntityType);
        Assert.Contains("Revoked customer 'Acme'", entry.Summary);
    }

    [Fact]
    public async Task Filters_by_time_window_with_both_ends_included()
    {
        using var db = new TestDatabase();
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var collection = db.AddTo(new ServiceCollection());
        collection.AddSingleton<TimeProvider>(clock);
        using var services = collection.BuildServiceProvider();
        foreach (var (slug, day) in new[] { ("march-1", 1), ("march-2", 2), ("march-3", 3) })
        {
            clock.Now = new DateTimeOffset(2026, 3, day, 9, 0, 0, TimeSpan.Zero);
            await CreateRepositoryAsync(services, TestDatabase.Administrator, slug);
        }

        var exact = await ListAsync(services, new AuditQuery(
            From: new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc), To: new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc)));
        var fromOnly = await ListAsync(services, new AuditQuery(From: new DateTime(2026, 3, 2, 9, 0, 1, DateTimeKind.Utc)));
        var toOnly = await ListAsync(services, new AuditQuery(To: new DateTime(2026, 3, 1, 23, 59, 59, DateTimeKind.Utc)));

        Assert.Equal(["march-3", "march-2"], exact.Items.Select(e => e.EntityId));
        Assert.Equal(["march-3"], fromOnly.Items.Select(e => e.EntityId));
        Assert.Equal(["march-1"], toOnly.Items.Select(e => e.EntityId));
        Assert.Equal(new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc), toOnly.Items[0].At);
    }

    [Fact]
    public async Task Pages_newest_first_and_reports_the_total_of_all_pages()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        for (var i = 1; i <= 7; i++)
        {
            await CreateRepositoryAsync(services, TestDatabase.Administrator, $"repo-{i}");
        }

        var first = await ListAsync(services, new AuditQuery(), new PageRequest(1, 3));
        var last = await ListAsync(services, new AuditQuery(), new PageRequest(3, 3));

        Assert.Equal(7, first.Total);
        Assert.Equal(["repo-7", "repo-6", "repo-5"], first.Items.Select(e => e.EntityId));
        Assert.Equal(7, last.Total);
        Assert.Equal(["repo-1"], last.Items.Select(e => e.EntityId));
    }

    [Fact]
    public async Task Summaries_never_contain_an_api_key_secret()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var owner = KeyOwners.Add(db, Grace);
        var keys = services.GetRequiredService<ApiKeyService>();

        var created = await keys.CreateAsync(owner, new CreateApiKeyInput { Name = "Billing sync" }, None);
        await keys.RevokeAsync(owner, created.Key.Id, None);

        using var context = db.OpenContext();
        var entries = await context.Set<AuditEntry>().AsNoTracking().ToListAsync(None);
        Assert.Equal([AuditActions.Create, AuditActions.Revoke], entries.OrderBy(e => e.Id).Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(AuditEntityTypes.ApiKey, e.EntityType));
        Assert.All(entries, e =>
        {
            Assert.DoesNotContain(created.Secret, e.Summary, StringComparison.Ordinal);
            Assert.DoesNotContain(created.Secret[ApiKeySecret.PrefixLength..], e.Summary, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKeySecret.Hash(created.Secret), e.Summary, StringComparison.Ordinal);
            Assert.Contains(created.Key.Prefix, e.Summary, StringComparison.Ordinal);
        });
    }

    /// <summary>Five changes by two people: two repositories created, a customer created, a repository renamed, the customer revoked.</summary>
    private static async Task SeedAsync(IServiceProvider services)
    {
        await CreateRepositoryAsync(services, TestDatabase.Administrator, "alpha");
        await CreateRepositoryAsync(services, TestDatabase.Administrator, "beta");
        var customers = services.GetRequiredService<CustomerService>();
        var acme = await customers.CreateAsync(Grace, new CustomerInput { Name = "Acme" }, None);
        await services.GetRequiredService<RepositoryService>().UpdateAsync(
            Grace, "alpha", new RepositoryInput { Slug = "alpha", Name = "Alpha tools" }, None);
        await customers.RevokeAsync(TestDatabase.Administrator, acme.Id, None);
    }

    private static Task CreateRepositoryAsync(IServiceProvider services, Actor actor, string slug) =>
        services.GetRequiredService<RepositoryService>().CreateAsync(actor, new RepositoryInput { Slug = slug, Name = slug }, None);

    private static Task<PagedResult<AuditEntryView>> ListAsync(IServiceProvider services, AuditQuery query, PageRequest? page = null) =>
        services.GetRequiredService<AuditService>().ListAsync(TestDatabase.Administrator, query, page ?? new PageRequest(), None);
}
