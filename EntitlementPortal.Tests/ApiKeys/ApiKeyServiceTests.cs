using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.ApiKeys;

public sealed class ApiKeyServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Database", TestProvider.SqliteOnly)] // reads the SQLite file itself
    public async Task The_database_holds_only_the_hash_of_the_secret()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var ada = KeyOwners.Add(db, TestDatabase.ActorWith("ada@example.com"));

        var created = await services.GetRequiredService<ApiKeyService>().CreateAsync(ada, new CreateApiKeyInput { Name = "Billing" }, Ct);

        using var context = db.OpenContext();
        var row = Assert.Single(await context.Set<ApiKey>().AsNoTracking().ToListAsync(Ct));
        var stored = typeof(ApiKey).GetProperties().Where(p => p.PropertyType == typeof(string))
            .Select(p => (string?)p.GetValue(row)).OfType<string>().ToList();
        Assert.DoesNotContain(stored, value => value.Contains(created.Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(stored, value => value.Contains(created.Secret[ApiKeySecret.PrefixLength..], StringComparison.Ordinal));
        Assert.Equal(ApiKeySecret.Hash(created.Secret), row.SecretHash);
        Assert.Equal(created.Secret[..ApiKeySecret.PrefixLength], row.Prefix);

        // Nor does the file itself: a dump of the database reveals no key.
        SqliteConnection.ClearAllPools();
        var path = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        var file = await File.ReadAllTextAsync(path, Ct);
        Assert.DoesNotContain(created.Secret, file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_someone_elses_key_is_not_found_and_leaves_it_working()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var keys = services.GetRequiredService<ApiKeyService>();
        var ada = KeyOwners.Add(db, TestDatabase.ActorWith("ada@example.com", "Administrator"));
        var bob = KeyOwners.Add(db, TestDatabase.ActorWith("bob@example.com"));
        var bobs = await keys.CreateAsync(bob, new CreateApiKeyInput { Name = "Bob's" }, Ct);

        await Assert.ThrowsAsync<NotFoundException>(() => keys.RevokeAsync(ada, bobs.Key.Id, Ct));

        Assert.True(Assert.Single(await keys.ListOwnAsync(bob, Ct)).IsActive);
    }

    [Fact]
    public async Task Each_person_lists_only_their_own_keys_active_first()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var keys = services.GetRequiredService<ApiKeyService>();
        var ada = KeyOwners.Add(db, TestDatabase.ActorWith("ada@example.com"));
        var bob = KeyOwners.Add(db, TestDatabase.ActorWith("bob@example.com"));
        var old = await keys.CreateAsync(ada, new CreateApiKeyInput { Name = "Old" }, Ct);
        await keys.CreateAsync(ada, new CreateApiKeyInput { Name = "Current" }, Ct);
        await keys.CreateAsync(bob, new CreateApiKeyInput { Name = "Bob's" }, Ct);
        await keys.RevokeAsync(ada, old.Key.Id, Ct);

        var adas = await keys.ListOwnAsync(ada, Ct);

        Assert.Equal(["Current", "Old"], adas.Select(k => k.Name));
        Assert.Equal([true, false], adas.Select(k => k.IsActive));
        Assert.Equal(["Bob's"], (await keys.ListOwnAsync(bob, Ct)).Select(k => k.Name));
    }

    [Fact]
    public async Task Revoking_twice_is_harmless_and_audited_once()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var keys = services.GetRequiredService<ApiKeyService>();
        var ada = KeyOwners.Add(db, TestDatabase.ActorWith("ada@example.com"));
        var created = await keys.CreateAsync(ada, new CreateApiKeyInput { Name = "CI" }, Ct);

        await keys.RevokeAsync(ada, created.Key.Id, Ct);
        var revokedAt = Assert.Single(await keys.ListOwnAsync(ada, Ct)).RevokedAt;
        await keys.RevokeAsync(ada, created.Key.Id, Ct);

        Assert.NotNull(revokedAt);
        Assert.Equal(revokedAt, Assert.Single(await keys.ListOwnAsync(ada, Ct)).RevokedAt);
        using var context = db.OpenContext();
        var revocations = await context.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.EntityType == AuditEntityTypes.ApiKey && e.Action == AuditActions.Revoke).ToListAsync(Ct);
        var entry = Assert.Single(revocations);
        Assert.Equal("ada@example.com", entry.ActorName);
        Assert.Equal(created.Key.Id.ToString(), entry.EntityId);
        Assert.Contains("'CI'", entry.Summary);
    }

    [Fact]
    public async Task A_blank_name_is_refused_and_nothing_is_stored()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var keys = services.GetRequiredService<ApiKeyService>();
        var ada = KeyOwners.Add(db, TestDatabase.ActorWith("ada@example.com"));

        var refused = await Assert.ThrowsAsync<ValidationException>(() => keys.CreateAsync(ada, new CreateApiKeyInput { Name = "  " }, Ct));

        Assert.Contains(refused.Errors, e => e.PropertyName == nameof(CreateApiKeyInput.Name));
        Assert.Empty(await keys.ListOwnAsync(ada, Ct));
    }

    [Fact]
    public async Task Someone_without_an_account_cannot_have_keys()
    {
        using var db = new TestDatabase();
        using var services = db.BuildServices();
        var keys = services.GetRequiredService<ApiKeyService>();
        var anonymous = new Actor(new System.Security.Claims.ClaimsPrincipal(), null);

        await Assert.ThrowsAsync<ForbiddenException>(() => keys.CreateAsync(anonymous, new CreateApiKeyInput { Name = "x" }, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => keys.ListOwnAsync(anonymous, Ct));
    }
}
