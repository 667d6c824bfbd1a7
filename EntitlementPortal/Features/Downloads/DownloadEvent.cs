namespace EntitlementPortal.Features.Downloads;

public enum AuthMethod
{
    None,
    TokenInPath,
    TokenBasic,
    UserBasic,
}

/// <summary>
/// One download attempt, served or refused. Names are copied, not referenced, so the history outlives
/// deleted packages, tokens and repositories.
/// </summary>
public sealed class DownloadEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Repo { get; set; }
    public string? Package { get; set; }
    public string? Version { get; set; }
    public string? Filename { get; set; }
    public int? TokenId { get; set; }
    public int? CustomerId { get; set; }
    public string? UserId { get; set; }
    public AuthMethod AuthMethod { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public int Status { get; set; }
    public long Bytes { get; set; }
    public string? Reason { get; set; }

    /// <summary>
    /// True when this attempt moved the token's download counter (set from the access decision, not guessed from
    /// the status afterwards): metrics and usage count these, so HEAD, 304 and resumed ranges never add a download.
    /// </summary>
    public bool Counted { get; set; }

    /// <summary>How many attempts this row stands for: 1, or more for a flood summary (see <see cref="FloodSummary"/>).</summary>
    public int Attempts { get; set; } = 1;

    /// <summary>Set on flood summaries only: address and minute, unique, so instances add to one row.</summary>
    public string? SummaryKey { get; set; }
}
