using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Cli.Input;
using EntitlementPortal.Cli.Output;

namespace EntitlementPortal.Cli.Commands.Tokens;

/// <summary>How tokens look in tables: counters next to their limits, one state word.</summary>
public static class TokenOutput
{
    public static void WriteList(TextWriter output, Page<TokenView> page)
    {
        var table = new TextTable("ID", "NAME", "CUSTOMER", "STATE", "DOWNLOADS", "BANDWIDTH", "VALID TO", "LAST DOWNLOAD");
        foreach (var t in page.Items)
        {
            table.Add(t.Id.ToString(), t.Name, t.CustomerName ?? t.CustomerId?.ToString(), State(t),
                Counter(t.Downloads, t.LimitDownloads?.ToString()),
                Counter(ByteSize.Format(t.BandwidthBytes), t.LimitBandwidthBytes is { } b ? ByteSize.Format(b) : null),
                t.LimitDateTo is null ? null : IsoTime.Format(t.LimitDateTo), t.LastDownloadAt is null ? null : IsoTime.Format(t.LastDownloadAt));
        }
        table.Write(output);
        output.WriteLine($"{page.Items.Count} of {page.Total}");
    }

    public static void WriteDetails(TextWriter output, TokenView t)
    {
        var details = new DetailsTable()
            .Add("id", t.Id.ToString()).Add("repo", t.Repo).Add("name", t.Name)
            .Add("customer", t.CustomerId is null ? null : $"{t.CustomerId} {t.CustomerName}".Trim())
            .Add("state", State(t));
        if (t.Token is not null)
        {
            details.Add("token", t.Token);
        }
        details
            .Add("downloads", Counter(t.Downloads, t.LimitDownloads?.ToString()))
            .Add("clients", Counter(t.Clients, t.LimitClients?.ToString()))
            .Add("bandwidth", Counter(ByteSize.Format(t.BandwidthBytes), t.LimitBandwidthBytes is { } b ? ByteSize.Format(b) : null))
            .Add("valid from", t.LimitDateFrom is null ? null : IsoTime.Format(t.LimitDateFrom))
            .Add("valid to", t.LimitDateTo is null ? null : IsoTime.Format(t.LimitDateTo))
            .Add("package query", t.LimitPackageQuery)
            .Add("allowed CIDRs", t.AllowedCidrs is { Count: > 0 } cidrs ? string.Join(", ", cidrs) : null)
            .Add("reset period", t.ResetPeriod)
            .Add("next reset", t.NextResetAt is null ? null : IsoTime.Format(t.NextResetAt))
            .Add("after expiry", t.AfterExpiry)
            .Add("EULA", t.EulaRequired ? (t.EulaAcceptedAt is { } accepted ? $"accepted {IsoTime.Format(accepted)}" : "required, not accepted") : null)
            .Add("metadata", t.Metadata is { ValueKind: System.Text.Json.JsonValueKind.Object } m ? m.GetRawText() : null)
            .Add("last download", t.LastDownloadAt is null ? null : $"{IsoTime.Format(t.LastDownloadAt)} from {t.LastClientIp}")
            .Add("created", $"{IsoTime.Format(t.CreatedAt)} by {t.CreatedBy ?? "-"}")
            .Add("updated", IsoTime.Format(t.UpdatedAt))
            .Write(output);
    }

    public static void WriteUsage(TextWriter output, TokenUsage usage)
    {
        new DetailsTable()
            .Add("downloads", usage.Downloads.ToString())
            .Add("clients", usage.Clients.ToString())
            .Add("bandwidth", ByteSize.Format(usage.BandwidthBytes))
            .Add("last download", usage.LastDownloadAt is null ? null : $"{IsoTime.Format(usage.LastDownloadAt)} from {usage.LastClientIp}")
            .Write(output);
        if (usage.ByDay.Count > 0)
        {
            output.WriteLine();
            var table = new TextTable("DATE", "DOWNLOADS", "BYTES");
            foreach (var day in usage.ByDay)
            {
                table.Add(day.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day.Downloads.ToString(), ByteSize.Format(day.Bytes));
            }
            table.Write(output);
        }
    }

    private static string State(TokenView t) => t.IsDeleted ? "deleted" : t.IsActive ? "active" : "disabled";

    private static string Counter<T>(T used, string? limit) => limit is null ? $"{used}" : $"{used} / {limit}";
}
