using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using FluentValidation;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenAllowanceTests() : TokenServiceTestBase(maxActiveTokens: 2)
{
    [Fact]
    public async Task Only_active_undeleted_standard_tokens_count_and_the_limit_is_enforced_on_create_and_enable()
    {
        var first = await CreateAsync(name: "One");
        await CreateAsync(name: "Two");
        var spare = await CreateAsync(name: "Spare", active: false);

        var full = await Assert.ThrowsAsync<ConflictException>(() => CreateAsync(name: "Three"));
        Assert.Contains("allows 2 active tokens", full.Message);
        await Assert.ThrowsAsync<ConflictException>(() => TokenLifecycle.EnableAsync(TestDatabase.Administrator, "alpha", spare.Id, Ct));
        Assert.Equal("2 of 2 active tokens", (await TokenQueries.GetAllowanceAsync(Ct)).ToString());

        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "alpha", first.Id, Ct);
        await TokenLifecycle.EnableAsync(TestDatabase.Administrator, "alpha", spare.Id, Ct);
        Assert.True((await TokenQueries.GetAllowanceAsync(Ct)).IsFull);
    }

    [Fact]
    public async Task Concurrent_creates_never_exceed_the_allowance()
    {
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await CreateAsync(name: $"Racer {i}");
                return true;
            }
            catch (ConflictException)
            {
                return false;
            }
        }, Ct));

        var results = await Task.WhenAll(attempts);

        Assert.Equal(2, results.Count(r => r));
        Assert.Equal(2, (await TokenQueries.GetAllowanceAsync(Ct)).Active);
    }
}

public sealed class TokenSyncTests : TokenServiceTestBase
{
    [Fact]
    public async Task Sync_makes_the_target_match_the_source_and_deletes_the_rest()
    {
        var kept = await CreateAsync("alpha", name: "Kept", secret: "kept-secret-1");
        await CreateAsync("alpha", name: "New", secret: "new-secret-11");
        await CreateAsync("beta", name: "Old name", secret: "kept-secret-1");
        await CreateAsync("beta", name: "Stray", secret: "stray-secret-1");
        await TokenEditor.UpdateAsync(TestDatabase.Administrator, "alpha", kept.Id, new TokenInput { Name = "Kept", LimitDownloads = 9 }, Ct);

        var result = await TokenSync.SyncAsync(TestDatabase.Administrator, "beta", "alpha", Ct);

        Assert.Equal(new SyncResult(Created: 1, Updated: 1, Deleted: 1), result);
        var beta = (await TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(Repo: "beta"), new PageRequest(SortBy: "name"), Ct)).Items;
        Assert.Equal(["Kept", "New"], beta.Select(t => t.Name));
        Assert.Equal(["kept-secret-1", "new-secret-11"], beta.Select(t => t.Token));
        Assert.Equal(9, beta[0].LimitDownloads);
    }

    [Fact]
    public async Task Sync_from_itself_or_with_a_public_repository_is_refused()
    {
        var self = await Assert.ThrowsAsync<ValidationException>(() => TokenSync.SyncAsync(TestDatabase.Administrator, "alpha", "alpha", Ct));
        Assert.Equal("source", self.Errors.Single().PropertyName);
        await Assert.ThrowsAsync<ValidationException>(() => TokenSync.SyncAsync(TestDatabase.Administrator, "open", "alpha", Ct));
    }
}
