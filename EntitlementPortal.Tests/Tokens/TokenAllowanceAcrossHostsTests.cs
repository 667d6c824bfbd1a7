using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens;

/// <summary>
/// The plan allowance (2 here) with two app instances on one database file. The held tests stop a change on the
/// other host just before its transaction, let this host take the last free place, then let the change go on:
/// decided in the database it sees the place taken; decided in process memory it would either wait for the other
/// host (hosts in one process share static state) or pass the allowance (hosts in two processes).
/// </summary>
public sealed class TokenAllowanceAcrossHostsTests : TokenServiceTestBase
{
    private readonly TransactionHold hold = new();
    private readonly ServiceProvider other;

    public TokenAllowanceAcrossHostsTests() : base(maxActiveTokens: 2)
    {
        other = AddHost(null, null, hold);
    }

    private TokenEditor OtherEditor => other.GetRequiredService<TokenEditor>();
    private TokenLifecycle OtherLifecycle => other.GetRequiredService<TokenLifecycle>();
    private TokenSync OtherSync => other.GetRequiredService<TokenSync>();

    [Fact]
    public async Task Two_hosts_never_exceed_the_plan_allowance()
    {
        var spare = await CreateAsync(name: "Spare", active: false);
        // One create on the other host has read everything and waits just before its transaction while both hosts
        // race: it must hold nothing the others need, and count only what they left.
        var held = hold.RunAsync(() => OtherEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Held" }, Ct));
        bool[] results;
        try
        {
            await hold.WaitUntilReachedAsync(held, Ct);
            var attempts = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
            {
                var (editor, lifecycle) = i % 2 == 0 ? (TokenEditor, TokenLifecycle) : (OtherEditor, OtherLifecycle);
                try
                {
                    if (i == 5)
                    {
                        await lifecycle.EnableAsync(TestDatabase.Administrator, "alpha", spare.Id, Ct);
                    }
                    else
                    {
                        await editor.CreateAsync(TestDatabase.Administrator, i % 3 == 0 ? "beta" : "alpha", new TokenInput { Name = $"Racer {i}" }, Ct);
                    }
                    return true;
                }
                catch (ConflictException)
                {
                    return false;
                }
            }, Ct));
            results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }
        finally
        {
            hold.Release();
        }

        await Assert.ThrowsAsync<ConflictException>(() => held);
        Assert.Equal(2, results.Count(r => r));
        Assert.Equal(2, (await TokenQueries.GetAllowanceAsync(Ct)).Active);
    }

    [Fact]
    public async Task An_enable_on_one_host_is_refused_once_the_other_host_took_the_last_place()
    {
        await CreateAsync(name: "First");
        var spare = await CreateAsync(name: "Spare", active: false);

        await AssertRefusedOnceThisHostTakesTheLastPlaceAsync(() => OtherLifecycle.EnableAsync(TestDatabase.Administrator, "alpha", spare.Id, Ct));
    }

    [Fact]
    public async Task An_update_that_enables_on_one_host_is_refused_once_the_other_host_took_the_last_place()
    {
        await CreateAsync(name: "First");
        var spare = await CreateAsync(name: "Spare", active: false);

        await AssertRefusedOnceThisHostTakesTheLastPlaceAsync(() =>
            OtherEditor.UpdateAsync(TestDatabase.Administrator, "alpha", spare.Id, new TokenInput { Name = "Spare", IsActive = true }, Ct));
    }

    [Fact]
    public async Task Reinstating_a_customer_on_one_host_is_refused_once_the_other_host_took_the_last_place()
    {
        var customers = Services.GetRequiredService<CustomerService>();
        await TokenEditor.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Acme's", CustomerId = CustomerId }, Ct);
        await customers.RevokeAsync(TestDatabase.Administrator, CustomerId, Ct);
        await CreateAsync(name: "First");

        await AssertRefusedOnceThisHostTakesTheLastPlaceAsync(() =>
            other.GetRequiredService<CustomerService>().ReinstateAsync(TestDatabase.Administrator, CustomerId, Ct));
        Assert.Equal(CustomerStatus.Revoked, (await customers.GetAsync(TestDatabase.Administrator, CustomerId, Ct)).Status);
    }

    [Fact]
    public async Task A_sync_on_one_host_is_refused_once_the_other_host_took_the_last_place()
    {
        await CreateAsync(name: "First");

        await AssertRefusedOnceThisHostTakesTheLastPlaceAsync(() => OtherSync.SyncAsync(TestDatabase.Administrator, "beta", "alpha", Ct));
        Assert.Equal(0, (await TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(Repo: "beta"), new PageRequest(), Ct)).Total);
    }

    /// <summary>One place is free. <paramref name="change"/> would take it; it runs on the other host, held before its transaction.</summary>
    private async Task AssertRefusedOnceThisHostTakesTheLastPlaceAsync(Func<Task> change)
    {
        Assert.Equal(1, (await TokenQueries.GetAllowanceAsync(Ct)).Active);
        var held = hold.RunAsync(change);
        try
        {
            await hold.WaitUntilReachedAsync(held, Ct);
            // Must not depend on the held host: a rule kept in process memory would make this wait for it.
            await CreateAsync(name: "Last place").WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            hold.Release();
        }

        var refused = await Assert.ThrowsAsync<ConflictException>(() => held);
        Assert.Contains("2", refused.Message);
        Assert.Equal(2, (await TokenQueries.GetAllowanceAsync(Ct)).Active);
    }
}
