using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Downloads.ReadModel;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads.ReadModel;

/// <summary>
/// Which changes move the download model version: every property of what downloads read, except the usage
/// counters that every download moves. Property by property over the real model, so a property added later is
/// covered (and bumps) without anyone remembering this list.
/// </summary>
public sealed class DownloadModelChangesTests : DownloadTestBase
{
    [Fact]
    public async Task Every_property_downloads_read_bumps_the_version_and_the_usage_counters_do_not()
    {
        var customer = await (await Api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme Corp" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var (tokenId, _) = await CreateTokenAsync(new { name = "Every property", customerId = customer.GetProperty("id").GetInt32() });

        var checkedProperties = 0;
        foreach (var type in new[] { typeof(Repository), typeof(EntitlementToken), typeof(Customer), typeof(Package), typeof(PackageFile) })
        {
            var relevance = DownloadModelChanges.Relevant[type];
            var properties = await App.WithDbAsync(db => Task.FromResult(
                db.Model.FindEntityType(type)!.GetProperties().Where(p => !p.IsPrimaryKey()).Select(p => p.Name).ToList()));
            foreach (var property in properties)
            {
                var before = await VersionAsync();
                await App.WithDbAsync(async db =>
                {
                    var row = await FirstAsync(db, type, tokenId);
                    db.Entry(row).Property(property).IsModified = true;
                    return await db.SaveChangesAsync(Ct);
                });
                var bumped = await VersionAsync() > before;
                Assert.True(bumped != relevance.Ignored.Contains(property), $"{type.Name}.{property}: bumped {bumped}");
                checkedProperties++;
            }
        }
        Assert.True(checkedProperties > 40, $"Only {checkedProperties} properties checked.");
        Assert.True(DownloadModelChanges.TokenUsageCounters.All(name =>
            typeof(EntitlementToken).GetProperty(name) is not null), "A usage counter is misspelt.");
    }

    [Fact]
    public async Task Served_and_counted_downloads_leave_the_version_alone_and_disabling_moves_it()
    {
        var (id, secret) = await CreateTokenAsync(new { name = "Counted", limitDownloads = 100, limitClients = 10, limitBandwidthBytes = 1_000_000 });
        var before = await VersionAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{secret}/{FilePath}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.PartialContent, (await GetAsync($"/dl/{secret}/{FilePath}", r => r.Headers.Range = new(0, 9))).StatusCode);
        await EventsAsync(atLeast: 4);

        Assert.Equal(3, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
        Assert.Equal(before, await VersionAsync());

        (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();
        Assert.True(await VersionAsync() > before);
    }

    [Fact]
    public async Task A_scheduled_reset_moves_the_version_with_the_schedule()
    {
        var (id, _) = await CreateTokenAsync(new { name = "Daily", resetPeriod = "daily" });
        await App.WithDbAsync(db => db.Set<EntitlementToken>().Where(t => t.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.NextResetAt, DateTime.UtcNow.AddMinutes(-1)).SetProperty(t => t.Downloads, 5), Ct));
        var before = await VersionAsync();

        using (var scope = App.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<TokenUsageResets>().ApplyDueResetsAsync(Ct);
        }

        Assert.Equal(0, (await TokenAsync(id)).GetProperty("downloads").GetInt64());
        Assert.True(await VersionAsync() > before);
    }

    [Fact]
    public async Task A_users_edits_leave_the_version_alone_and_removing_the_account_moves_it()
    {
        await App.CreateUserWithKeyAsync("bob@example.com");
        var before = await VersionAsync();
        await App.WithDbAsync(async db =>
        {
            var bob = await db.Users.SingleAsync(u => u.Email == "bob@example.com", Ct);
            bob.Name = "Bob";
            bob.LockoutEnd = DateTimeOffset.MaxValue;
            return await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(before, await VersionAsync());

        await App.WithDbAsync(async db =>
        {
            db.Remove(await db.Users.SingleAsync(u => u.Email == "bob@example.com", Ct));
            return await db.SaveChangesAsync(Ct);
        });
        Assert.True(await VersionAsync() > before);
    }

    private Task<long> VersionAsync() =>
        App.WithDbAsync(db => db.Set<DownloadModelVersion>().Select(v => v.Version).SingleAsync(Ct));

    private static async Task<object> FirstAsync(AppDbContext db, Type type, int tokenId) => type.Name switch
    {
        nameof(Repository) => await db.Set<Repository>().FirstAsync(Ct),
        nameof(EntitlementToken) => await db.Set<EntitlementToken>().FirstAsync(t => t.Id == tokenId, Ct),
        nameof(Customer) => await db.Set<Customer>().FirstAsync(Ct),
        nameof(Package) => await db.Set<Package>().FirstAsync(Ct),
        _ => await db.Set<PackageFile>().FirstAsync(Ct),
    };
}
