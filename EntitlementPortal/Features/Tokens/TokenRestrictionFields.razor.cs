using System.Globalization;
using EntitlementPortal.Components.Shared;
using FluentValidation;
using Microsoft.AspNetCore.Components;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenRestrictionFields
{
    private DateTime? fromDay;
    private TimeSpan? fromTime;
    private DateTime? toDay;
    private TimeSpan? toTime;
    private decimal? bandwidth;
    private string unit = "GB";
    private string? networks;
    private NumberField? downloadsField;
    private NumberField? clientsField;
    private NumberField? bandwidthField;

    private static readonly string[] RestrictionProperties =
    [
        nameof(TokenInput.LimitDateFrom), nameof(TokenInput.LimitDateTo), nameof(TokenInput.LimitDownloads),
        nameof(TokenInput.LimitClients), nameof(TokenInput.LimitBandwidthBytes), nameof(TokenInput.LimitPackageQuery),
        nameof(TokenInput.AllowedCidrs), nameof(TokenInput.ResetPeriod),
    ];

    [Parameter, EditorRequired] public TokenInput Input { get; set; } = default!;

    /// <summary>What the service reported on the last save, shown on the matching fields.</summary>
    [Parameter, EditorRequired] public FormErrors Errors { get; set; } = default!;

    /// <summary>Raised after any restriction changed, so the form's summary line follows.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    private string BandwidthHelp => Input.LimitBandwidthBytes is { } bytes && bytes > 0
        ? $"= {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes"
        : "Empty: no limit.";

    protected override void OnInitialized()
    {
        (fromDay, fromTime) = Split(Input.LimitDateFrom);
        (toDay, toTime) = Split(Input.LimitDateTo);
        networks = string.Join('\n', Input.AllowedCidrs);
        if (Input.LimitBandwidthBytes is { } bytes)
        {
            // The largest unit that still reads as at least 1, so 5,000,000,000 bytes comes back as 5 GB.
            unit = ByteSize.UnitNames.LastOrDefault(u => bytes >= ByteSize.Multiplier(u)) ?? ByteSize.UnitNames[0];
            bandwidth = (decimal)bytes / ByteSize.Multiplier(unit);
        }
    }

    private Task SetWindowAsync(bool from, DateTime? day, TimeSpan? time)
    {
        var at = day is { } d ? DateTime.SpecifyKind(d.Date + (time ?? TimeSpan.Zero), DateTimeKind.Utc) : (DateTime?)null;
        if (from)
        {
            (fromDay, fromTime, Input.LimitDateFrom) = (day, day is null ? null : time, at);
        }
        else
        {
            (toDay, toTime, Input.LimitDateTo) = (day, day is null ? null : time, at);
        }
        return ChangedAsync();
    }

    /// <summary>True when a number field holds text that the token input cannot take (so it is not in the input).</summary>
    public bool HasTypedNumbers => UnparsedProperties.Count > 0;

    /// <summary>The properties whose field holds text that is not a number in range.</summary>
    public IReadOnlySet<string> UnparsedProperties
    {
        get
        {
            var unparsed = new HashSet<string>();
            if (downloadsField?.IsInvalid == true)
            {
                unparsed.Add(nameof(TokenInput.LimitDownloads));
            }
            if (clientsField?.IsInvalid == true)
            {
                unparsed.Add(nameof(TokenInput.LimitClients));
            }
            if (bandwidthField?.IsInvalid == true || BandwidthTooLarge)
            {
                unparsed.Add(nameof(TokenInput.LimitBandwidthBytes));
            }
            return unparsed;
        }
    }

    /// <summary>
    /// The restrictions in one line, as the token would be saved. A part that is invalid (text that is not a number,
    /// a limit below 1, a package query that does not parse) is left out and the line says to fix the fields
    /// instead, so the summary never presents a value the service would refuse as if it were a restriction.
    /// </summary>
    public static string Describe(TokenInput input, IValidator<TokenInput> validator, IReadOnlySet<string> unparsed)
    {
        var result = validator.Validate(ValidationContext<TokenInput>.CreateWithOptions(input, o => o.IncludeProperties(RestrictionProperties)));
        var invalid = result.Errors.Select(e => RestrictionProperties.FirstOrDefault(p => e.PropertyName.StartsWith(p, StringComparison.Ordinal)))
            .OfType<string>().Concat(unparsed).ToHashSet();
        T? Valid<T>(string property, T value) => invalid.Contains(property) ? default : value;
        var line = TokenRestrictions.Describe(
            Valid(nameof(TokenInput.LimitDateFrom), input.LimitDateFrom), Valid(nameof(TokenInput.LimitDateTo), input.LimitDateTo),
            Valid(nameof(TokenInput.LimitDownloads), input.LimitDownloads), Valid(nameof(TokenInput.LimitClients), input.LimitClients),
            Valid(nameof(TokenInput.LimitBandwidthBytes), input.LimitBandwidthBytes),
            Valid(nameof(TokenInput.LimitPackageQuery), input.LimitPackageQuery),
            invalid.Contains(nameof(TokenInput.AllowedCidrs)) ? [] : input.AllowedCidrs,
            invalid.Contains(nameof(TokenInput.ResetPeriod)) ? ResetPeriod.Never : input.ResetPeriod);
        if (invalid.Count == 0)
        {
            return line;
        }
        return line == TokenRestrictions.None ? "Fix the highlighted fields." : $"{line}; fix the highlighted fields";
    }

    private bool BandwidthTooLarge => bandwidth is { } amount && amount > (decimal)long.MaxValue / ByteSize.Multiplier(unit);

    private Task SetAsync(Action set)
    {
        set();
        return ChangedAsync();
    }

    private Task SetBandwidthAsync(decimal? amount)
    {
        bandwidth = amount;
        Input.LimitBandwidthBytes = ToBytes(amount, unit);
        return ChangedAsync();
    }

    private Task SetUnitAsync(string value)
    {
        unit = value;
        Input.LimitBandwidthBytes = ToBytes(bandwidth, unit);
        return ChangedAsync();
    }

    private Task SetNetworksAsync(string? text)
    {
        networks = text;
        Input.AllowedCidrs = (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        return ChangedAsync();
    }

    private Task ChangedAsync() => OnChanged.InvokeAsync();

    private Task<IEnumerable<string>> BandwidthProblemsAsync() =>
        BandwidthTooLarge
            ? Task.FromResult<IEnumerable<string>>(["That is more bandwidth than a limit can hold; leave it empty for no limit."])
            : ProblemsAsync(nameof(TokenInput.LimitBandwidthBytes));

    /// <summary>The validator's messages for one property, for fields whose value is converted before it is stored.</summary>
    private async Task<IEnumerable<string>> ProblemsAsync(string property)
    {
        var result = await Validator.ValidateAsync(ValidationContext<TokenInput>.CreateWithOptions(Input, o => o.IncludeProperties(property)));
        return result.Errors.Select(e => e.ErrorMessage);
    }

    private static long? ToBytes(decimal? amount, string unit)
    {
        if (amount is not { } value)
        {
            return null;
        }
        // Out-of-range amounts are kept as the nearest storable value; the field's own check refuses them.
        var limit = (decimal)long.MaxValue / ByteSize.Multiplier(unit);
        return (long)Math.Round(Math.Clamp(value, -limit, limit) * ByteSize.Multiplier(unit));
    }

    private static (DateTime? Day, TimeSpan? Time) Split(DateTime? value) =>
        value is { } at ? (at.Date, at.TimeOfDay == TimeSpan.Zero ? null : at.TimeOfDay) : (null, null);
}
