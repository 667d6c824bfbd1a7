using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Repositories;

public sealed class RepositoryServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RepositoryInput Input(string slug, string name = "Acme tools",
        RepositoryVisibility visibility = RepositoryVisibility.Private) =>
        new() { Slug = slug, Name = name, Description = "Builds for customers.", Visibility = visibility };

    private static Repository[] Stored(TestDatabase db)
    {
        using var context = db.OpenContext();
        return context.Set<Repository>().AsNoTracking().OrderBy(r => r.Id).ToArray();
    }

    private static AuditEntry[] AuditLog(TestDatabase db)
    {
        using var context = db.OpenContext();
        return context.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.Id).ToArray();
    }

    [Fact]
    public async Task Created_repository_is_stored_and_read_back_with_trimmed_values()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();

        var created = await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput
        {
            Slug = " acme ", Name = "  Acme tools ", Description = "   ", Visibility = RepositoryVisibility.Public, UserTokensEnabled = false,
        }, Ct);

        Assert.Equal("acme", created.Slug);
        var read = await repositories.GetAsync(TestDatabase.Administrator, "acme", Ct);
        Assert.Equal(("Acme tools", (string?)null, RepositoryVisibility.Public, false), (read.Name, read.Description, read.Visibility, read.UserTokensEnabled));
        Assert.Equal(read.CreatedAt, read.UpdatedAt);
        var stored = Assert.Single(Stored(db));
        Assert.Equal("acme", stored.Slug);
    }

    [Fact]
    public async Task Update_changes_the_stored_repository_and_its_updated_time()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        var created = await repositories.CreateAsync(TestDatabase.Administrator, Input("acme"), Ct);

        var input = created.ToInput();
        input.Name = "Acme builds";
        input.Description = "Nightly builds.";
        input.Visibility = RepositoryVisibility.Public;
        input.UserTokensEnabled = false;
        var updated = await repositories.UpdateAsync(TestDatabase.Administrator, "acme", input, Ct);

        Assert.Equal(("Acme builds", "Nightly builds.", RepositoryVisibility.Public, false),
            (updated.Name, updated.Description, updated.Visibility, updated.UserTokensEnabled));
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        var stored = Assert.Single(Stored(db));
        Assert.Equal(("Acme builds", RepositoryVisibility.Public, false), (stored.Name, stored.Visibility, stored.UserTokensEnabled));
    }

    [Fact]
    public async Task Delete_removes_the_repository()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, Input("acme"), Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, Input("other"), Ct);

        await repositories.DeleteAsync(TestDatabase.Administrator, "acme", Ct);

        Assert.Equal(["other"], Stored(db).Select(r => r.Slug));
        await Assert.ThrowsAsync<NotFoundException>(() => repositories.GetAsync(TestDatabase.Administrator, "acme", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => repositories.DeleteAsync(TestDatabase.Administrator, "acme", Ct));
    }

    [Fact]
    public async Task Duplicate_slug_is_a_conflict_on_the_slug_field_and_stores_nothing_more()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, Input("acme", "First"), Ct);

        var conflict = await Assert.ThrowsAsync<ConflictException>(
            () => repositories.CreateAsync(TestDatabase.Administrator, Input("acme", "Second"), Ct));

        Assert.Equal(nameof(RepositoryInput.Slug), conflict.Field);
        Assert.Contains("'acme' already exists", conflict.Message);
        Assert.Equal(["First"], Stored(db).Select(r => r.Name));
        Assert.Single(AuditLog(db));
    }

    [Fact]
    public async Task Invalid_input_is_refused_with_field_errors_and_stores_nothing()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();

        var invalid = await Assert.ThrowsAsync<ValidationException>(
            () => repositories.CreateAsync(TestDatabase.Administrator, Input("api", ""), Ct));

        Assert.Equal(["Name", "Slug"], invalid.Errors.Select(e => e.PropertyName).Order());
        Assert.Empty(Stored(db));
        Assert.Empty(AuditLog(db));
    }

    [Theory]
    [InlineData(Roles.AccountManager)]
    [InlineData(Roles.TokenManager)]
    [InlineData(null)]
    public async Task Only_administrators_create_change_or_delete(string? role)
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, Input("acme", "Acme"), Ct);
        var actor = role is null ? TestDatabase.ActorWith("member@example.com") : TestDatabase.ActorWith("staff@example.com", role);

        await Assert.ThrowsAsync<ForbiddenException>(() => repositories.CreateAsync(actor, Input("other"), Ct));
        // Without a role the private repository is not even visible: "not found", as for a stranger.
        await Assert.ThrowsAsync(role is null ? typeof(NotFoundException) : typeof(ForbiddenException),
            () => repositories.UpdateAsync(actor, "acme", Input("acme", "Renamed"), Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => repositories.DeleteAsync(actor, "acme", Ct));

        var stored = Assert.Single(Stored(db));
        Assert.Equal(("acme", "Acme"), (stored.Slug, stored.Name));
    }

    [Fact]
    public async Task Slug_of_an_existing_repository_cannot_change()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, Input("acme", "Acme"), Ct);

        var invalid = await Assert.ThrowsAsync<ValidationException>(
            () => repositories.UpdateAsync(TestDatabase.Administrator, "acme", Input("acme-new", "Renamed"), Ct));

        var failure = Assert.Single(invalid.Errors);
        Assert.Equal(nameof(RepositoryInput.Slug), failure.PropertyName);
        var stored = Assert.Single(Stored(db));
        Assert.Equal(("acme", "Acme"), (stored.Slug, stored.Name));
    }

    [Fact]
    public async Task Every_change_is_audited_with_actor_client_address_and_a_readable_summary()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        var admin = TestDatabase.Administrator;

        await repositories.CreateAsync(admin, Input("acme", "A"), Ct);
        var input = Input("acme", "B");
        input.Visibility = RepositoryVisibility.Public;
        await repositories.UpdateAsync(admin, "acme", input, Ct);
        await repositories.DeleteAsync(admin, "acme", Ct);

        var log = AuditLog(db);
        Assert.Equal([AuditActions.Create, AuditActions.Update, AuditActions.Delete], log.Select(a => a.Action));
        Assert.All(log, entry =>
        {
            Assert.Equal("admin@example.com", entry.ActorName);
            Assert.Equal("id-admin@example.com", entry.ActorId);
            Assert.Equal("203.0.113.7", entry.ClientIp);
            Assert.Equal(AuditEntityTypes.Repository, entry.EntityType);
            Assert.Equal("acme", entry.EntityId);
        });
        Assert.Equal("Created private repository 'A' (acme).", log[0].Summary);
        Assert.Contains("name: 'A' → 'B'", log[1].Summary);
        Assert.Contains("visibility: Private → Public", log[1].Summary);
        Assert.Equal("Deleted repository 'B' (acme).", log[2].Summary);
    }

    [Fact]
    public async Task Saving_without_a_change_writes_no_audit_entry()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        var created = await repositories.CreateAsync(TestDatabase.Administrator, Input("acme"), Ct);

        var unchanged = await repositories.UpdateAsync(TestDatabase.Administrator, "acme", created.ToInput(), Ct);

        Assert.Equal(created.UpdatedAt, unchanged.UpdatedAt);
        Assert.Single(AuditLog(db));
    }

    [Fact]
    public async Task Actor_without_a_staff_role_sees_only_public_repositories()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, Input("secret", visibility: RepositoryVisibility.Private), Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, Input("open", visibility: RepositoryVisibility.Public), Ct);
        var member = TestDatabase.ActorWith("member@example.com");
        var accountManager = TestDatabase.ActorWith("am@example.com", Roles.AccountManager);

        var seen = await repositories.ListAsync(member, new PageRequest(), cancellationToken: Ct);
        var staffSees = await repositories.ListAsync(accountManager, new PageRequest(), cancellationToken: Ct);

        Assert.Equal(["open"], seen.Items.Select(r => r.Slug));
        Assert.Equal(1, seen.Total);
        Assert.Equal(["open", "secret"], staffSees.Items.Select(r => r.Slug));
        await Assert.ThrowsAsync<NotFoundException>(() => repositories.GetAsync(member, "secret", Ct));
    }

    [Fact]
    public async Task List_searches_slug_and_name_filters_by_visibility_sorts_and_pages()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var repositories = services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, Input("alpha", "Zulu tools"), Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, Input("beta", "Alpha mirror", RepositoryVisibility.Public), Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, Input("gamma", "Gamma"), Ct);
        var admin = TestDatabase.Administrator;

        var search = await repositories.ListAsync(admin, new PageRequest(Search: "ALPHA"), cancellationToken: Ct);
        var publicOnly = await repositories.ListAsync(admin, new PageRequest(), RepositoryVisibility.Public, Ct);
        var byNameDescending = await repositories.ListAsync(admin, new PageRequest(SortBy: "name", Descending: true), cancellationToken: Ct);
        var secondPage = await repositories.ListAsync(admin, new PageRequest(Page: 2, PageSize: 2), cancellationToken: Ct);

        Assert.Equal(["alpha", "beta"], search.Items.Select(r => r.Slug));
        Assert.Equal(["beta"], publicOnly.Items.Select(r => r.Slug));
        Assert.Equal(["alpha", "gamma", "beta"], byNameDescending.Items.Select(r => r.Slug));
        Assert.Equal(3, secondPage.Total);
        Assert.Equal(["gamma"], secondPage.Items.Select(r => r.Slug));
    }
}
