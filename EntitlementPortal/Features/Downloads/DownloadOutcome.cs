namespace EntitlementPortal.Features.Downloads;

/// <summary>The file a download names in its route.</summary>
public sealed record DownloadTarget(string Repo, string Package, string Version, string Filename);

/// <summary>Why a request gets no file: status, a machine reason (stored with the event) and a human detail.</summary>
public sealed record DownloadRefusal(int Status, string Reason, string Detail, TimeSpan? RetryAfter = null, bool Challenge = false);

/// <summary>A file to send, the plan it is sent by, and what that plan was counted as (so unsent bytes can be given back).</summary>
public sealed record ServedFile(
    string Sha256, string ContentType, string Filename, FileValidators Validators, FileResponsePlan Plan, int? TokenId, long BytesCounted);

public sealed record DownloadOutcome(ServedFile? File, DownloadRefusal? Refusal)
{
    public static DownloadOutcome Refuse(int status, string reason, string detail, bool challenge = false) =>
        new(null, new DownloadRefusal(status, reason, detail, Challenge: challenge));

    public static DownloadOutcome Serve(ServedFile file) => new(file, null);
}

/// <summary>One entry of the JSON index of files a token may download.</summary>
public sealed record IndexEntry(string Package, string Version, string Filename, long Size, string Sha256, string Url);
