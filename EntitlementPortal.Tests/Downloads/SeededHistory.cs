using EntitlementPortal.Features.Downloads;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// The download app with six history rows written straight to the database (served and refused, over two repositories,
/// three days, two tokens, a customer, a user and two client addresses), shared by the filter tests: they only read it.
/// </summary>
public sealed class SeededHistory : IAsyncLifetime
{
    public static readonly DateTime Day = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    public DownloadApp Download { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Download.InitializeAsync();
        var userRow = HistoryRows.Served(Day.AddHours(3), tokenId: 8);
        userRow.UserId = "user-1";
        userRow.AuthMethod = AuthMethod.UserBasic;
        await Download.App.WithDbAsync(async db =>
        {
            await HistoryRows.AddAsync(db,
                HistoryRows.Served(Day, tokenId: 7, customerId: 3),
                HistoryRows.Served(Day.AddHours(1), tokenId: 7, customerId: 3, package: "acme-cli", version: "1.0.0", clientIp: "198.51.100.2"),
                HistoryRows.Refused(Day.AddHours(2), "download_limit", tokenId: 7, customerId: 3),
                HistoryRows.Refused(Day.AddDays(1), "ip_not_allowed", tokenId: 8, status: 403, clientIp: "203.0.113.5"),
                HistoryRows.Served(Day.AddDays(2), repo: "beta", package: "beta-tool", version: "2.1.0"),
                userRow);
            return 0;
        });
    }

    public async ValueTask DisposeAsync() => await Download.DisposeAsync();
}
