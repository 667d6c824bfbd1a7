using EntitlementPortal.Features.Analytics;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using EntitlementPortal.Tests.Tokens;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Analytics;

public sealed class RepositoryMetricsTests : TokenServiceTestBase
{
    private static readonly DateTime Day = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
    private static readonly AnalyticsPeriod November = new(Day.AddDays(-19), Day.AddDays(10));

    private RepositoryMetricsService Metrics => Services.GetRequiredService<RepositoryMetricsService>();

    private async Task<(int A, int B, int Elsewhere)> SeedAsync()
    {
        var a = (await CreateAsync(name: "A")).Id;
        var b = (await CreateAsync(name: "B")).Id;
        await CreateAsync(name: "C", active: false);
        var deleted = (await CreateAsync(name: "Deleted")).Id;
        var elsewhere = (await CreateAsync(repo: "beta", name: "Elsewhere")).Id;
        await TokenLifecycle.DeleteAsync(TestDatabase.Administrator, "alpha", deleted, Ct);
        var resumed = HistoryRows.Served(Day.AddHours(4), tokenId: a, bytes: 50, counted: false);
        resumed.Status = 206;
        var head = HistoryRows.Served(Day.AddHours(5), tokenId: a, bytes: 0, counted: false);
        await using var db = Database.OpenContext();
        await HistoryRows.AddAsync(db,
            HistoryRows.Served(Day, tokenId: a, bytes: 100),
            HistoryRows.Served(Day.AddHours(1), tokenId: a, bytes: 100),
            HistoryRows.Served(Day.AddHours(2), tokenId: a, bytes: 100),
            resumed, head,
            HistoryRows.Refused(Day.AddHours(3), "download_limit", tokenId: a),
            HistoryRows.Served(Day, tokenId: b, bytes: 1000),
            HistoryRows.Served(Day.AddMonths(-2), tokenId: b, bytes: 5000),
            HistoryRows.Served(Day, tokenId: deleted, bytes: 7000),
            HistoryRows.Served(Day, tokenId: elsewhere, repo: "beta", bytes: 9000));
        return (a, b, elsewhere);
    }

    [Fact]
    public async Task Totals_average_lowest_and_highest_are_over_every_live_standard_token_with_silent_ones_as_zero()
    {
        await SeedAsync();

        var metrics = await Metrics.GetAsync(TestDatabase.Administrator, "alpha", November, cancellationToken: Ct);

        Assert.Equal(new TokenCounts(Active: 2, Inactive: 1, Total: 3), metrics.Tokens);
        // A: 3 counted downloads (the resumed range and the HEAD did not move its counter); B: 1; C: none.
        Assert.Equal(new MetricSummary(Total: 4, Average: 4.0 / 3, Lowest: 0, Highest: 3), metrics.Downloads);
        // A: 300 + the 50 of the range; B: 1000 (its September download is outside the period); C: 0.
        Assert.Equal(new MetricSummary(Total: 1350, Average: 450, Lowest: 0, Highest: 1000), metrics.BandwidthBytes);
    }

    [Fact]
    public async Task Chosen_tokens_narrow_every_figure_to_them()
    {
        var (a, b, _) = await SeedAsync();

        var metrics = await Metrics.GetAsync(TestDatabase.Administrator, "alpha", November, [a, b], Ct);

        Assert.Equal(new TokenCounts(2, 0, 2), metrics.Tokens);
        Assert.Equal(new MetricSummary(4, 2, 1, 3), metrics.Downloads);
        Assert.Equal(new MetricSummary(1350, 675, 350, 1000), metrics.BandwidthBytes);
    }

    [Fact]
    public async Task A_period_without_downloads_and_a_repository_without_tokens_give_zeros()
    {
        await SeedAsync();

        var quiet = await Metrics.GetAsync(TestDatabase.Administrator, "alpha", new AnalyticsPeriod(Day.AddYears(1), null), cancellationToken: Ct);
        var empty = await Metrics.GetAsync(TestDatabase.Administrator, "open", November, cancellationToken: Ct);

        Assert.Equal(new MetricSummary(0, 0, 0, 0), quiet.Downloads);
        Assert.Equal(3, quiet.Tokens.Total);
        Assert.Equal(new RepositoryMetrics(new TokenCounts(0, 0, 0), new MetricSummary(0, 0, 0, 0), new MetricSummary(0, 0, 0, 0)), empty);
    }

    [Fact]
    public async Task Unknown_repositories_and_tokens_of_other_repositories_are_refused()
    {
        var (_, _, elsewhere) = await SeedAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => Metrics.GetAsync(TestDatabase.Administrator, "nope", November, cancellationToken: Ct));
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Metrics.GetAsync(TestDatabase.Administrator, "alpha", November, [elsewhere], Ct));
        Assert.Equal("tokens", Assert.Single(refused.Errors).PropertyName);
        await Assert.ThrowsAsync<ForbiddenException>(() => Metrics.GetAsync(TestDatabase.ActorWith("dev@example.com"), "alpha", November, cancellationToken: Ct));
        await Metrics.GetAsync(TestDatabase.ActorWith("am@example.com", Roles.AccountManager), "alpha", November, cancellationToken: Ct);
    }
}
