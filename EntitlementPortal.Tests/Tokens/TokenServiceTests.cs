using System.Text;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenServiceTests : TokenServiceTestBase
{
    [Fact]
    [Trait("Database", TestProvider.SqliteOnly)] // reads the SQLite file itself
    public async Task Created_token_returns_its_generated_secret_and_the_database_file_never_contains_it()
    {
        var generated = await CreateAsync(name: "Generated");
        var custom = await CreateAsync(name: "Custom", secret: "acme-custom-2026");

        Assert.True(TokenSecret.IsGenerated(generated.Token));
        Assert.Equal("acme-custom-2026", custom.Token);

        // Look at the file as an attacker with a dump would: raw bytes, WAL folded in, any encoding.
        await using (var connection = new SqliteConnection(Database.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync(Ct);
        }
        SqliteConnection.ClearAllPools();
        var dump = await File.ReadAllBytesAsync(new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource, Ct);
        foreach (var secret in new[] { generated.Token!, custom.Token! })
        {
            Assert.Equal(-1, dump.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, dump.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
        }
    }

    [Fact]
    public async Task Create_and_update_store_the_trimmed_input_and_leave_the_callers_input_as_it_was()
    {
        var input = new TokenInput { Name = "  Padded  ", LimitPackageQuery = "  name:acme-agent ", MetadataJson = "  " };

        var created = await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", input, Ct);
        input.Name = " Renamed ";
        var updated = await TokenEditor.UpdateAsync(TestDatabase.Administrator, "alpha", created.Id, input, Ct);

        Assert.Equal("Padded", created.Name);
        Assert.Equal("Renamed", updated.Name);
        Assert.Equal("name:acme-agent", updated.LimitPackageQuery);
        Assert.Null(updated.MetadataJson);
        // What a form bound to the input shows is what the person typed, not the service's normalised copy.
        Assert.Equal(" Renamed ", input.Name);
        Assert.Equal("  name:acme-agent ", input.LimitPackageQuery);
        Assert.Equal("  ", input.MetadataJson);
    }

    [Fact]
    public async Task Restrictions_and_metadata_are_stored_and_read_back()
    {
        var input = new TokenInput
        {
            Name = "Restricted", CustomerId = CustomerId, LimitDownloads = 10, LimitClients = 1, LimitBandwidthBytes = 5_000_000_000,
            LimitDateFrom = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), LimitDateTo = new DateTime(2027, 12, 1, 0, 0, 0, DateTimeKind.Utc),
            LimitPackageQuery = "name:acme-agent", AllowedCidrs = ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"],
            ResetPeriod = ResetPeriod.Monthly, MetadataJson = """{ "licenseId": "L-123" }""",
        };

        var created = await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", input, Ct);
        var read = await TokenQueries.GetAsync(TestDatabase.Administrator, "alpha", created.Id, Ct);

        Assert.Equal("Acme Corp", read.CustomerName);
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32"], read.AllowedCidrs);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime.AddMonths(1), read.NextResetAt);
        Assert.Equal("L-123", read.Metadata!.Value.GetProperty("licenseId").GetString());
        Assert.Contains("at most 10 downloads", TokenRestrictions.Describe(read));
        Assert.Contains("5 GB", TokenRestrictions.Describe(read));
    }

    [Theory]
    [InlineData(nameof(TokenInput.LimitDownloads))]
    [InlineData(nameof(TokenInput.LimitClients))]
    [InlineData(nameof(TokenInput.LimitBandwidthBytes))]
    [InlineData(nameof(TokenInput.LimitDateTo))]
    [InlineData(nameof(TokenInput.AllowedCidrs))]
    [InlineData(nameof(TokenInput.MetadataJson))]
    [InlineData(nameof(TokenInput.Token))]
    [InlineData(nameof(TokenInput.Name))]
    public async Task Bad_input_is_a_field_error_and_stores_nothing(string field)
    {
        var input = new TokenInput { Name = "Bad" };
        switch (field)
        {
            case nameof(TokenInput.LimitDownloads): input.LimitDownloads = 0; break;
            case nameof(TokenInput.LimitClients): input.LimitClients = -1; break;
            case nameof(TokenInput.LimitBandwidthBytes): input.LimitBandwidthBytes = 0; break;
            case nameof(TokenInput.LimitDateTo):
                input.LimitDateFrom = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                input.LimitDateTo = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                break;
            case nameof(TokenInput.AllowedCidrs): input.AllowedCidrs = ["10.0.0.1/8"]; break;
            case nameof(TokenInput.MetadataJson): input.MetadataJson = "[1]"; break;
            case nameof(TokenInput.Token): input.Token = "bad token!"; break;
            case nameof(TokenInput.Name): input.Name = " "; break;
        }

        var error = await Assert.ThrowsAsync<ValidationException>(() => TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", input, Ct));

        Assert.Contains(error.Errors, e => e.PropertyName == field);
        Assert.Equal(0, (await TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(), new PageRequest(), Ct)).Total);
    }

    [Fact]
    public async Task An_invalid_package_query_is_refused_with_its_position_and_a_valid_one_is_stored_canonically()
    {
        var bad = new TokenInput { Name = "Query", LimitPackageQuery = "name:acme AND (version:>=2" };
        var error = await Assert.ThrowsAsync<ValidationException>(() => TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", bad, Ct));
        var failure = error.Errors.Single();
        Assert.Equal(nameof(TokenInput.LimitPackageQuery), failure.PropertyName);
        Assert.Contains("position", failure.ErrorMessage);

        var good = await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha",
            new TokenInput { Name = "Query", LimitPackageQuery = "Name:acme-agent   and version:>=2.0" }, Ct);
        Assert.Equal("name:acme-agent AND version:>=2.0", good.LimitPackageQuery);
    }

    [Fact]
    public async Task A_query_whose_canonical_form_is_too_long_to_store_is_refused()
    {
        var words = string.Join(' ', Enumerable.Range(0, 199).Select(i => "w" + (i % 10)));
        var input = new TokenInput { Name = "Long", LimitPackageQuery = words };

        var error = await Assert.ThrowsAsync<ValidationException>(() => TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", input, Ct));

        Assert.Contains("too long once written out", error.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task Tokens_of_a_repository_made_public_cannot_be_enabled_again()
    {
        var token = await CreateAsync();
        var repositories = Services.GetService(typeof(EntitlementPortal.Features.Repositories.RepositoryService)) as EntitlementPortal.Features.Repositories.RepositoryService;
        await repositories!.UpdateAsync(TestDatabase.Administrator, "alpha",
            new EntitlementPortal.Features.Repositories.RepositoryInput { Slug = "alpha", Name = "Alpha", Visibility = EntitlementPortal.Features.Repositories.RepositoryVisibility.Public },
            confirmDisablingTokens: true, Ct);

        var enable = await Assert.ThrowsAsync<ConflictException>(() => TokenLifecycle.EnableAsync(TestDatabase.Administrator, "alpha", token.Id, Ct));
        Assert.Contains("is public", enable.Message);
        await Assert.ThrowsAsync<ConflictException>(() => TokenEditor.UpdateAsync(TestDatabase.Administrator, "alpha", token.Id, new TokenInput { Name = "Acme", IsActive = true }, Ct));
    }

    [Fact]
    public async Task Listing_tokens_of_an_unknown_repository_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(Repo: "nope"), new PageRequest(), Ct));
    }

    [Fact]
    public async Task Host_bits_in_a_cidr_get_a_suggestion()
    {
        var input = new TokenInput { Name = "Net", AllowedCidrs = ["10.1.2.3/8"] };
        var error = await Assert.ThrowsAsync<ValidationException>(() => TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", input, Ct));
        Assert.Contains("did you mean 10.0.0.0/8", error.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task A_custom_secret_is_unique_per_repository_but_reusable_across_repositories()
    {
        await CreateAsync("alpha", secret: "shared-secret-1");
        await CreateAsync("beta", secret: "shared-secret-1");

        var duplicate = await Assert.ThrowsAsync<ConflictException>(() => CreateAsync("alpha", name: "Again", secret: "shared-secret-1"));

        Assert.Equal(nameof(TokenInput.Token), duplicate.Field);
    }

    [Fact]
    public async Task Tokens_are_refused_on_public_repositories_and_unknown_customers()
    {
        await Assert.ThrowsAsync<ValidationException>(() => CreateAsync("open"));
        var unknownCustomer = new TokenInput { Name = "Ghost", CustomerId = 424242 };
        var error = await Assert.ThrowsAsync<ValidationException>(() => TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", unknownCustomer, Ct));
        Assert.Equal(nameof(TokenInput.CustomerId), error.Errors.Single().PropertyName);
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync("no-such-repo"));
    }

    [Fact]
    public async Task Account_managers_read_tokens_without_secrets_and_cannot_change_them()
    {
        var created = await CreateAsync();
        var manager = TestDatabase.ActorWith("am@example.com", Roles.AccountManager);

        var seen = await TokenQueries.GetAsync(manager, "alpha", created.Id, Ct);

        Assert.Null(seen.Token);
        Assert.StartsWith("ent_", seen.SecretHint);
        await Assert.ThrowsAsync<ForbiddenException>(() => TokenLifecycle.DisableAsync(manager, "alpha", created.Id, Ct));
        // Without a role or a privilege the list across repositories is empty, and one repository's list is hidden.
        Assert.Equal(0, (await TokenQueries.ListAsync(TestDatabase.ActorWith("member@example.com"), new TokenFilter(), new PageRequest(), Ct)).Total);
        await Assert.ThrowsAsync<NotFoundException>(() => TokenQueries.ListAsync(TestDatabase.ActorWith("member@example.com"), new TokenFilter("alpha"), new PageRequest(), Ct));
        var tokenManager = TestDatabase.ActorWith("bot@example.com", Roles.TokenManager);
        Assert.Equal(created.Token, (await TokenQueries.GetAsync(tokenManager, "alpha", created.Id, Ct)).Token);
    }

    [Fact]
    public async Task Refresh_replaces_the_secret_and_keeps_the_old_one_only_for_the_grace_window()
    {
        var created = await CreateAsync();

        var immediate = await TokenLifecycle.RefreshAsync(TestDatabase.Administrator, "alpha", created.Id, cancellationToken: Ct);
        var graced = await TokenLifecycle.RefreshAsync(TestDatabase.Administrator, "alpha", created.Id, graceSeconds: 3600, cancellationToken: Ct);

        Assert.NotEqual(created.Token, immediate.Token);
        Assert.NotEqual(immediate.Token, graced.Token);
        await using var db = Database.OpenContext();
        var stored = await db.Set<EntitlementToken>().SingleAsync(Ct);
        var protector = Services.GetService(typeof(TokenSecretProtector)) as TokenSecretProtector;
        Assert.Equal(protector!.Digest(immediate.Token!), stored.PreviousSecretDigest);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime.AddHours(1), stored.PreviousSecretValidUntil);
        Assert.NotEqual(protector.Digest(created.Token!), stored.PreviousSecretDigest);
        await Assert.ThrowsAsync<ValidationException>(() => TokenLifecycle.RefreshAsync(TestDatabase.Administrator, "alpha", created.Id, graceSeconds: -1, cancellationToken: Ct));
    }

    [Fact]
    public async Task Deleted_token_keeps_its_row_but_cannot_be_enabled_and_frees_its_custom_string()
    {
        var created = await CreateAsync(secret: "reusable-string");

        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "alpha", created.Id, Ct);

        await Assert.ThrowsAsync<ConflictException>(() => TokenLifecycle.EnableAsync(TestDatabase.Administrator, "alpha", created.Id, Ct));
        var all = await TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(IncludeDeleted: true), new PageRequest(), Ct);
        var deleted = Assert.Single(all.Items);
        Assert.True(deleted.IsDeleted);
        Assert.Null(deleted.Token);
        await CreateAsync(name: "Successor", secret: "reusable-string");
    }

    [Fact]
    public async Task Reset_usage_zeroes_the_counters()
    {
        var created = await CreateAsync();
        await using (var db = Database.OpenContext())
        {
            await db.Set<EntitlementToken>().ExecuteUpdateAsync(s => s.SetProperty(t => t.Downloads, 7).SetProperty(t => t.Clients, 2).SetProperty(t => t.BandwidthBytes, 1234), Ct);
        }

        var reset = await TokenLifecycle.ResetUsageAsync(TestDatabase.Administrator, "alpha", created.Id, Ct);

        Assert.Equal((0L, 0, 0L), (reset.Downloads, reset.Clients, reset.BandwidthBytes));
    }

    [Fact]
    public async Task Scheduled_resets_apply_when_due_and_step_to_the_next_period()
    {
        var start = Clock.GetUtcNow().UtcDateTime;
        var created = await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Daily", ResetPeriod = ResetPeriod.Daily }, Ct);
        await using (var db = Database.OpenContext())
        {
            await db.Set<EntitlementToken>().ExecuteUpdateAsync(s => s.SetProperty(t => t.Downloads, 5), Ct);
        }

        Assert.Equal(new ResetRound(Reset: 0, Skipped: 0), await TokenResets.ApplyDueResetsAsync(Ct));
        Clock.Advance(TimeSpan.FromHours(49));
        Assert.Equal(new ResetRound(Reset: 1, Skipped: 0), await TokenResets.ApplyDueResetsAsync(Ct));

        var after = await TokenQueries.GetAsync(TestDatabase.Administrator, "alpha", created.Id, Ct);
        Assert.Equal(0, after.Downloads);
        Assert.Equal(start.AddDays(3), after.NextResetAt);
    }

    [Fact]
    public async Task Audit_entries_describe_token_changes_without_the_secret()
    {
        var created = await CreateAsync(secret: "audited-secret-1");
        await TokenEditor.UpdateAsync(TestDatabase.Administrator, "alpha", created.Id, new TokenInput { Name = "Renamed", LimitDownloads = 3 }, Ct);
        var refreshed = await TokenLifecycle.RefreshAsync(TestDatabase.Administrator, "alpha", created.Id, cancellationToken: Ct);

        await using var db = Database.OpenContext();
        var summaries = await db.Set<AuditEntry>().Where(e => e.EntityType == AuditEntityTypes.Token).Select(e => e.Summary).ToListAsync(Ct);

        Assert.Equal(3, summaries.Count);
        Assert.Contains(summaries, s => s.Contains("name: 'Acme' → 'Renamed'") && s.Contains("limitDownloads: (none) → 3"));
        Assert.All(summaries, s => Assert.DoesNotContain("audited-secret-1", s));
        Assert.All(summaries, s => Assert.DoesNotContain(refreshed.Token!, s));
    }
}
