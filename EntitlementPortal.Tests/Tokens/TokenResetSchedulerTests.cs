using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenResetSchedulerTests : TokenServiceTestBase
{
    [Fact]
    public async Task The_background_service_applies_resets_as_the_clock_passes_the_due_time()
    {
        var created = await Tokens.CreateAsync(TestDatabase.Administrator, "alpha", new TokenInput { Name = "Daily", ResetPeriod = ResetPeriod.Daily }, Ct);
        await SetDownloadsAsync(created.Id, 9);
        var scheduler = Services.GetServices<IHostedService>().OfType<TokenResetScheduler>().Single();

        await scheduler.StartAsync(Ct);
        try
        {
            Assert.Equal(9, await DownloadsAsync(created.Id));
            Clock.Advance(TimeSpan.FromDays(1));
            Clock.Advance(TokenResetScheduler.Interval);

            await WaitUntilAsync(async () => await DownloadsAsync(created.Id) == 0);
        }
        finally
        {
            await scheduler.StopAsync(Ct);
        }
        var after = await Tokens.GetAsync(TestDatabase.Administrator, "alpha", created.Id, Ct);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(12), after.NextResetAt);
    }

    private async Task SetDownloadsAsync(int id, long downloads)
    {
        await using var db = Database.OpenContext();
        await db.Set<EntitlementToken>().Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Downloads, downloads), Ct);
    }

    private async Task<long> DownloadsAsync(int id)
    {
        await using var db = Database.OpenContext();
        return await db.Set<EntitlementToken>().Where(t => t.Id == id).Select(t => t.Downloads).SingleAsync(Ct);
    }

    /// <summary>The service works on its own task: wait (bounded) for what it should have done.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The scheduled reset did not happen.");
            await Task.Yield();
            Thread.Sleep(20);
        }
    }
}
