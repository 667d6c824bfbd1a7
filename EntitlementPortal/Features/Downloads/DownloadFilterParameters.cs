using System.Globalization;
using EntitlementPortal.Features.Api;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Downloads;

/// <summary>
/// The history filters as they arrive in a query string: text, checked here so that a malformed value is a 400
/// keyed by its field (the framework's own binding failure would name no field).
/// </summary>
public sealed class DownloadFilterParameters
{
    public string? Repo { get; set; }
    public string? CustomerId { get; set; }
    public string? TokenId { get; set; }
    public string? UserId { get; set; }
    public string? Package { get; set; }
    public string? Version { get; set; }
    public string? Status { get; set; }
    public string? Reason { get; set; }
    public string? ClientIp { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Outcome { get; set; }

    public DownloadQuery ToQuery()
    {
        var failures = new List<ValidationFailure>();
        var from = Time(From, "from", failures);
        var to = Time(To, "to", failures);
        if (from > to)
        {
            failures.Add(new ValidationFailure("to", "to must not be before from."));
        }
        var query = new DownloadQuery(
            Repo: Text(Repo, "repo", 64, failures),
            CustomerId: Id(CustomerId, "customerId", failures),
            TokenId: Id(TokenId, "tokenId", failures),
            Status: StatusCode(Status, failures),
            From: from,
            To: to,
            UserId: Text(UserId, "userId", 450, failures),
            Package: Text(Package, "package", 100, failures),
            Version: Text(Version, "version", 64, failures),
            Reason: Text(Reason, "reason", 64, failures),
            ClientIp: Text(ClientIp, "clientIp", 64, failures),
            Outcome: Try(() => ListParameters.ParseFilter<HistoryOutcome>(Outcome, "outcome"), failures));
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
        return query;
    }

    private static string? Text(string? value, string field, int maxLength, List<ValidationFailure> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            failures.Add(new ValidationFailure(field, $"{field} is at most {maxLength} characters."));
        }
        return trimmed;
    }

    private static int? Id(string? value, string field, List<ValidationFailure> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }
        failures.Add(new ValidationFailure(field, $"{field} must be a positive whole number."));
        return null;
    }

    private static int? StatusCode(string? value, List<ValidationFailure> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599)
        {
            return status;
        }
        failures.Add(new ValidationFailure("status", "status must be an HTTP status code (100–599)."));
        return null;
    }

    /// <summary>ISO-8601; a time without an offset is read as UTC, like every time the API returns.</summary>
    public static DateTime? Time(string? value, string field, List<ValidationFailure> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.UtcDateTime;
        }
        failures.Add(new ValidationFailure(field, $"{field} must be an ISO-8601 time, e.g. 2026-12-01T00:00:00Z."));
        return null;
    }

    private static T? Try<T>(Func<T?> parse, List<ValidationFailure> failures) where T : struct
    {
        try
        {
            return parse();
        }
        catch (ValidationException ex)
        {
            failures.AddRange(ex.Errors);
            return null;
        }
    }
}
