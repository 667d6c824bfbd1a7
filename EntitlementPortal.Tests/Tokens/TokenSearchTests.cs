using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens;

/// <summary>
/// The token list's search on SQLite goes through the trigram indexes of token and customer names for terms of three
/// characters or more; the rows are exactly those of the substring search (LIKE: ASCII letters in either case).
/// </summary>
public sealed class TokenSearchTests : TokenServiceTestBase
{
    private static readonly string[] TokenNames =
        ["Production 1234", "production 12345", "staging 1234", "Prod_1", "100% build", "École CI", "quote \"x\" token", "Nightly", "a*b (AND) OR"];

    private async Task<string[]> SearchAsync(string term, bool includeDeleted = false) =>
        [.. (await TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(IncludeDeleted: includeDeleted), new PageRequest(1, 100, term), Ct))
            .Items.Select(t => t.Name).Order(StringComparer.Ordinal)];

    private async Task<int> SeedAsync()
    {
        var globex = (await Services.GetRequiredService<CustomerService>()
            .CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Globex Production" }, Ct)).Id;
        foreach (var name in TokenNames)
        {
            await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha",
                new TokenInput { Name = name, CustomerId = name == "Nightly" ? globex : CustomerId }, Ct);
        }
        return globex;
    }

    /// <summary>SQLite's LIKE without wildcards in the term: a substring, ASCII letters folded, nothing else.</summary>
    private static bool LikeContains(string text, string term) => AsciiLower(text).Contains(AsciiLower(term), StringComparison.Ordinal);

    private static string AsciiLower(string text) => string.Concat(text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c));

    [Fact]
    public async Task Every_term_finds_exactly_the_tokens_whose_name_or_customer_name_contains_it()
    {
        await SeedAsync();
        var names = TokenNames.ToDictionary(n => n, n => n == "Nightly" ? "Globex Production" : "Acme Corp");
        var terms = TokenNames.Concat(names.Values)
            .SelectMany(n => Enumerable.Range(0, n.Length).SelectMany(i => new[] { 1, 2, 3, 4, 6 }.Where(l => i + l <= n.Length).Select(l => n.Substring(i, l))))
            .Concat(["PRODUCTION", "école", "ÉCOLE", "% b", "\"x\"", "od_", "12", "zzz", "\"", "(AND)", "a*b", "NEAR(", "corp production"])
            .Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();

        foreach (var term in terms)
        {
            var expected = TokenNames.Where(n => LikeContains(n, term) || LikeContains(names[n], term)).Order(StringComparer.Ordinal).ToArray();
            var found = await SearchAsync(term);
            Assert.True(expected.AsEnumerable().SequenceEqual(found), $"search '{term}': expected [{string.Join(", ", expected)}], found [{string.Join(", ", found)}]");
        }
        Assert.Equal(["Nightly", "Production 1234", "production 12345"], await SearchAsync("PRODUCTION"));
        // LIKE folds ASCII letters only; the index folds É as well, and the final check keeps LIKE's answer.
        Assert.Empty(await SearchAsync("école"));
        Assert.Equal(["École CI"], await SearchAsync("École"));
        Assert.Equal(["100% build"], await SearchAsync("% b"));
    }

    [Fact]
    public async Task Renamed_and_deleted_tokens_and_renamed_customers_are_found_by_their_names_now()
    {
        var globex = await SeedAsync();
        var staging = (await TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(), new PageRequest(Search: "staging"), Ct)).Items.Single();

        await TokenEditor.UpdateAsync(TestDatabase.Administrator, "alpha", staging.Id, new TokenInput { Name = "Canary 77", CustomerId = CustomerId }, Ct);
        await Services.GetRequiredService<CustomerService>().UpdateAsync(TestDatabase.Administrator, globex, new CustomerInput { Name = "Initech" }, Ct);

        Assert.Empty(await SearchAsync("staging"));
        Assert.Equal(["Canary 77"], await SearchAsync("canary"));
        Assert.Equal(["Production 1234", "production 12345"], await SearchAsync("production"));
        Assert.Equal(["Nightly"], await SearchAsync("initech"));

        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "alpha", staging.Id, Ct);
        Assert.Empty(await SearchAsync("canary"));
        Assert.Equal(["Canary 77"], await SearchAsync("canary", includeDeleted: true));
    }

    [Fact]
    [Trait("Database", TestProvider.SqliteOnly)] // SQLite full-text name indexes
    public async Task Terms_of_three_characters_or_more_are_looked_up_in_the_name_indexes_and_shorter_ones_are_not()
    {
        await SeedAsync();
        await using (var db = Database.OpenContext())
        {
            // Emptied indexes: whatever the search still finds, it found without them.
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"TokenNameSearch\" (\"TokenNameSearch\") VALUES ('delete-all');", Ct);
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"CustomerNameSearch\" (\"CustomerNameSearch\") VALUES ('delete-all');", Ct);
        }

        Assert.Empty(await SearchAsync("Nightly"));
        Assert.Empty(await SearchAsync("Globex"));
        Assert.Equal(["Prod_1"], await SearchAsync("_1"));
    }

    [Fact]
    [Trait("Database", TestProvider.SqliteOnly)] // SQLite full-text name indexes
    public async Task The_name_indexes_are_kept_by_triggers_that_every_migration_leaves_in_place()
    {
        await using var db = Database.OpenContext();
        var triggers = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            .ToListAsync(Ct);

        // A migration that rebuilds EntitlementTokens or Customers drops their triggers: it must create them again.
        Assert.Equal(["CustomerNameSearch_Delete", "CustomerNameSearch_Insert", "CustomerNameSearch_Update",
            "TokenNameSearch_Delete", "TokenNameSearch_Insert", "TokenNameSearch_Update"], triggers);
    }
}
