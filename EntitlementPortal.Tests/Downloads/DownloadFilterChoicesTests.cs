using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>The searches behind the Downloads page's customer, token and user pickers, on a real SQLite file.</summary>
public sealed class DownloadFilterChoicesTests : IDisposable
{
    private static readonly Actor Admin = TestDatabase.Administrator;
    private static readonly Actor AccountManager = TestDatabase.ActorWith("am@example.com", Roles.AccountManager);
    private static readonly Actor TokenManager = TestDatabase.ActorWith("tm@example.com", Roles.TokenManager);
    private static readonly Actor PlainUser = TestDatabase.ActorWith("someone@example.com");

    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;
    private readonly DownloadFilterChoices choices;

    public DownloadFilterChoicesTests()
    {
        services = database.BuildServices();
        choices = services.GetRequiredService<DownloadFilterChoices>();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<FilterChoiceIds> SeedAsync()
    {
        await using var db = database.OpenContext();
        return await FilterChoiceRows.AddAsync(db);
    }

    [Fact]
    public async Task Customers_are_found_by_any_part_of_their_name_ignoring_case()
    {
        var ids = await SeedAsync();

        var matches = await choices.SearchCustomersAsync(AccountManager, "gmb", Ct);
        var all = await choices.SearchCustomersAsync(TokenManager, "  ", Ct);

        Assert.Equal([new FilterChoice(ids.Beta.ToString(), "Beta GmbH")], matches);
        Assert.Equal(["Acme Ltd", "Beta GmbH"], all.Select(c => c.Label));
        Assert.Empty(await choices.SearchCustomersAsync(Admin, "100%", Ct));
    }

    [Fact]
    public async Task A_customer_id_is_named_and_an_unknown_one_is_not()
    {
        var ids = await SeedAsync();

        Assert.Equal("Acme Ltd", (await choices.FindCustomerAsync(AccountManager, ids.Acme, Ct))?.Label);
        Assert.Null(await choices.FindCustomerAsync(AccountManager, 999, Ct));
    }

    [Fact]
    public async Task Tokens_are_shown_with_their_repository_and_customer_and_deleted_ones_say_so()
    {
        var ids = await SeedAsync();

        var matches = await choices.SearchTokensAsync(AccountManager, "ci", Ct);

        Assert.Equal(
            [new FilterChoice(ids.AcmeCi.ToString(), "Acme CI · acme · Acme Ltd"), new FilterChoice(ids.BetaCi.ToString(), "Beta CI · beta · Beta GmbH"),
             new FilterChoice(ids.RetiredCi.ToString(), "Retired CI · acme · Acme Ltd (deleted)")],
            matches);
        Assert.Equal("Beta CI · beta · Beta GmbH", (await choices.FindTokenAsync(TokenManager, ids.BetaCi, Ct))?.Label);
        Assert.Null(await choices.FindTokenAsync(TokenManager, 999, Ct));
    }

    [Fact]
    public async Task User_tokens_are_offered_only_to_those_who_may_see_members_user_tokens()
    {
        var ids = await SeedAsync();

        Assert.Equal(["ada@example.com · acme · user token"], (await choices.SearchTokensAsync(Admin, "ada", Ct)).Select(t => t.Label));
        Assert.Empty(await choices.SearchTokensAsync(AccountManager, "ada", Ct));
        Assert.Null(await choices.FindTokenAsync(AccountManager, ids.AdasUserToken, Ct));
        Assert.NotNull(await choices.FindTokenAsync(Admin, ids.AdasUserToken, Ct));
    }

    [Fact]
    public async Task People_are_found_by_e_mail_or_name_by_administrators_only()
    {
        var ids = await SeedAsync();

        Assert.Equal([new FilterChoice(ids.Ada, "Ada Lovelace <ada@example.com>")], await choices.SearchUsersAsync(Admin, "lovelace", Ct));
        Assert.Equal([new FilterChoice(ids.Bob, "bob@example.com")], await choices.SearchUsersAsync(Admin, "BOB@", Ct));
        Assert.Equal("bob@example.com", (await choices.FindUserAsync(Admin, ids.Bob, Ct))?.Label);
        Assert.Null(await choices.FindUserAsync(Admin, "no-such-user", Ct));

        Assert.False(DownloadFilterChoices.MaySearchUsers(AccountManager));
        await Assert.ThrowsAsync<ForbiddenException>(() => choices.SearchUsersAsync(AccountManager, "ada", Ct));
        Assert.Null(await choices.FindUserAsync(TokenManager, ids.Ada, Ct));
    }

    [Fact]
    public async Task Someone_who_may_not_read_the_history_gets_no_choices()
    {
        await SeedAsync();

        await Assert.ThrowsAsync<ForbiddenException>(() => choices.SearchCustomersAsync(PlainUser, null, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => choices.SearchTokensAsync(PlainUser, null, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => choices.FindTokenAsync(PlainUser, 1, Ct));
    }

    [Fact]
    public async Task A_search_lists_at_most_the_first_choices_by_name()
    {
        await using (var db = database.OpenContext())
        {
            db.AddRange(Enumerable.Range(1, DownloadFilterChoices.MaxChoices + 5)
                .Select(i => new EntitlementPortal.Features.Customers.Customer { Name = $"Customer {i:D2}" }));
            await db.SaveChangesAsync(Ct);
        }

        var found = await choices.SearchCustomersAsync(AccountManager, "customer", Ct);

        Assert.Equal(DownloadFilterChoices.MaxChoices, found.Count);
        Assert.Equal("Customer 01", found[0].Label);
    }

    public void Dispose()
    {
        services.Dispose();
        database.Dispose();
    }
}
