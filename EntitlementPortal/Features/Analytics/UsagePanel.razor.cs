using System.Globalization;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Features.Analytics;

public sealed partial class UsagePanel
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private UsageReport? usage;
    private string? problem;
    private int days = 30;
    private (UsageScope Scope, int Refresh, int Days)? loadedFor;
    private string[] dayLabels = [];
    private List<ChartSeries<double>> downloadSeries = [];
    private List<ChartSeries<double>> bytesSeries = [];
    private ChartScale bytesScale = ChartScale.ForBytes([]);
    private BarChartOptions downloadOptions = new();
    private BarChartOptions bytesOptions = new();

    [Inject] private CustomerUsageService Usage { get; set; } = default!;
    [Inject] private ActorAccessor Actors { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Parameter, EditorRequired] public UsageScope Scope { get; set; } = default!;

    /// <summary>A new value reads the usage again (the token page bumps it while open, as for its latest attempts).</summary>
    [Parameter] public int Refresh { get; set; }
    [Parameter] public string? Class { get; set; }
    [Parameter] public string Id { get; set; } = "usage";
    [Parameter] public string Title { get; set; } = "Usage";

    protected override Task OnParametersSetAsync() => LoadAsync();

    private Task OnDaysChanged(int value)
    {
        days = value;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (loadedFor == (Scope, Refresh, days))
        {
            return;
        }
        // A new token, customer or period is another view: show it loading. A refresh keeps the figures on screen.
        if (loadedFor is not { } last || last.Scope != Scope || last.Days != days)
        {
            usage = null;
        }
        loadedFor = (Scope, Refresh, days);
        try
        {
            Show(await Usage.GetAsync(await Actors.GetAsync(), Scope, PeriodSelect.PeriodOf(days, Clock)));
        }
        catch (Exception ex) when (ex is ServiceException or FluentValidation.ValidationException)
        {
            (usage, problem) = (null, ex.Message);
        }
    }

    private void Show(UsageReport report)
    {
        (usage, problem) = (report, null);
        dayLabels = report.ByDay.Select(d => d.Date.ToString("MM-dd", Invariant)).ToArray();
        bytesScale = ChartScale.ForBytes(report.ByDay.Select(d => d.Bytes));
        downloadOptions = OptionsFor(ChartScale.ForCounts(report.ByDay.Select(d => d.Downloads)));
        bytesOptions = OptionsFor(bytesScale);
        downloadSeries = [new ChartSeries<double> { Name = "Downloads", Data = new ChartData<double>(report.ByDay.Select(d => (double)d.Downloads).ToList()) }];
        bytesSeries = [new ChartSeries<double> { Name = bytesScale.Unit, Data = new ChartData<double>(report.ByDay.Select(d => bytesScale.Of(d.Bytes)).ToList()) }];
    }

    private static BarChartOptions OptionsFor(ChartScale scale) =>
        new() { YAxisTicks = scale.Step, MaxNumYAxisTicks = ChartScale.MaxTicks + 1, YAxisFormat = "0.##", ShowLegend = false };

    private static bool IsEmpty(UsageReport report) =>
        report is { Downloads: 0, BandwidthBytes: 0, LastDownloadAt: null, Refused.Count: 0, TopPackages.Count: 0 };

    /// <summary>The Downloads page with this panel's token or customer and period, and a refusal reason when given.</summary>
    private string HistoryLink(string? reason)
    {
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var state = new DownloadPageState
        {
            CustomerId = Scope.CustomerId,
            TokenId = Scope.TokenId,
            Reason = reason,
            Outcome = reason is null ? null : HistoryOutcome.Refused,
            // The panel's days are whole UTC days up to today: the page's custom range says exactly that.
            Range = days > 0 ? HistoryRange.Custom : HistoryRange.All,
            FromDay = days > 0 ? today.AddDays(1 - days) : null,
            ToDay = days > 0 ? today : null,
        };
        return "downloads?" + state.ToQueryString();
    }
}
