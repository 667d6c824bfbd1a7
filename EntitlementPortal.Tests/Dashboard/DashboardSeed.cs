using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Dashboard;

/// <summary>The ids of <see cref="DashboardSeed"/>'s portal.</summary>
public sealed record DashboardPortal(int Acme, int Globex, int AcmeCi, int GlobexCi, int Ending, int OneSeat, int Later, int Disabled);

/// <summary>
/// A portal with known figures, made through the real services and the real event store (which keeps the daily
/// rollup), on the clock's day 2026-11-30 12:00 UTC. The dashboard's window is 1–30 November. Expected:
/// 6 counted downloads and 1160 bytes; Acme Corp 3 downloads (350 bytes), Globex 2 (800 bytes);
/// refusals rate_limited 3 (one flood row), download_limit 2, ip_not_allowed 1; 6 active standard tokens;
/// to watch, in order: Ending (ends in 10 days), Later (ends in 20 days), Acme CI (8 of 10), Globex CI (800 of 1000 bytes), One seat (1 of 1 client).
/// </summary>
public static class DashboardSeed
{
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static async Task<DashboardPortal> SeedAsync(IServiceProvider services, TestDatabase database, CancellationToken ct)
    {
        var admin = TestDatabase.Administrator;
        var repositories = services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(admin, new RepositoryInput { Slug = "alpha", Name = "Alpha" }, ct);
        await repositories.CreateAsync(admin, new RepositoryInput { Slug = "beta", Name = "Beta" }, ct);
        var customers = services.GetRequiredService<CustomerService>();
        var acme = (await customers.CreateAsync(admin, new CustomerInput { Name = "Acme Corp" }, ct)).Id;
        var globex = (await customers.CreateAsync(admin, new CustomerInput { Name = "Globex" }, ct)).Id;

        var tokens = services.GetRequiredService<TokenEditor>();
        var lifecycle = services.GetRequiredService<TokenLifecycle>();
        async Task<int> Create(string repo, string name, Action<TokenInput> shape)
        {
            var input = new TokenInput { Name = name };
            shape(input);
            return (await tokens.CreateAsync(admin, repo, input, ct)).Id;
        }
        var now = Now.UtcDateTime;
        var acmeCi = await Create("alpha", "Acme CI", t => (t.CustomerId, t.LimitDownloads) = (acme, 10));
        var globexCi = await Create("beta", "Globex CI", t => (t.CustomerId, t.LimitBandwidthBytes) = (globex, 1000));
        var ending = await Create("alpha", "Ending", t => t.LimitDateTo = now.AddDays(10));
        var later = await Create("alpha", "Later", t => (t.LimitDateTo, t.LimitDownloads) = (now.AddDays(20), 10));
        var oneSeat = await Create("alpha", "One seat", t => t.LimitClients = 1);
        await Create("alpha", "Quiet", _ => { });
        var disabled = await Create("alpha", "Disabled", t => (t.IsActive, t.LimitDateTo) = (false, now.AddDays(3)));
        var deleted = await Create("alpha", "Deleted", t => t.LimitDownloads = 1);
        await lifecycle.DeleteAsync(admin, "alpha", deleted, ct);

        var day = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);
        var resumed = HistoryRows.Served(day.AddDays(1), acmeCi, acme, repo: "alpha", bytes: 50, counted: false);
        resumed.Status = 206;
        var store = new DownloadEventStore(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), services.GetRequiredService<EntitlementPortal.Features.Webhooks.DownloadRefusalWebhooks>());
        await store.StoreAsync([
            HistoryRows.Served(day, acmeCi, acme, repo: "alpha"),
            HistoryRows.Served(day.AddHours(1), acmeCi, acme, repo: "alpha"),
            HistoryRows.Served(day.AddHours(2), acmeCi, acme, repo: "alpha"),
            resumed,
            HistoryRows.Served(new DateTime(2026, 10, 31, 23, 0, 0, DateTimeKind.Utc), acmeCi, acme, repo: "alpha", bytes: 500),
            HistoryRows.Served(day.AddDays(5), globexCi, globex, repo: "beta", bytes: 400),
            HistoryRows.Served(day.AddDays(5).AddHours(1), globexCi, globex, repo: "beta", bytes: 400),
            HistoryRows.Served(day.AddDays(9), ending, repo: "alpha", bytes: 10),
            HistoryRows.Refused(day.AddDays(2), "download_limit", acmeCi, acme, repo: "alpha"),
            HistoryRows.Refused(day.AddDays(2).AddHours(1), "download_limit", acmeCi, acme, repo: "alpha"),
            HistoryRows.Refused(day.AddDays(3), "ip_not_allowed", acmeCi, acme, repo: "alpha"),
            HistoryRows.Refused(new DateTime(2026, 10, 5, 0, 0, 0, DateTimeKind.Utc), "download_limit", acmeCi, acme, repo: "alpha"),
            .. Enumerable.Range(0, 3).Select(i => HistoryRows.Refused(day.AddDays(4).AddSeconds(i), "rate_limited", repo: "alpha", status: 429)),
        ], ct);

        // The counters downloads move (the ledger's job); the figures here put tokens near their limits.
        await using var db = database.OpenContext();
        await SetUsageAsync(db, acmeCi, downloads: 8, clients: 1, bytes: 300, ct);
        await SetUsageAsync(db, globexCi, downloads: 2, clients: 1, bytes: 800, ct);
        await SetUsageAsync(db, later, downloads: 7, clients: 1, bytes: 70, ct);
        await SetUsageAsync(db, oneSeat, downloads: 1, clients: 1, bytes: 10, ct);
        return new DashboardPortal(acme, globex, acmeCi, globexCi, ending, oneSeat, later, disabled);
    }

    private static Task SetUsageAsync(AppDbContext db, int tokenId, long downloads, int clients, long bytes, CancellationToken ct) =>
        db.Set<EntitlementToken>().Where(t => t.Id == tokenId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Downloads, downloads).SetProperty(t => t.Clients, clients).SetProperty(t => t.BandwidthBytes, bytes), ct);
}
