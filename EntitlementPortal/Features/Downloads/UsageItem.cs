using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Downloads;

/// <summary>One request's counting, handed to the ledger: which token, client address and file, and what the rules say it would count.</summary>
public sealed record UsageItem(int TokenId, string ClientIp, string FileKey, UsageClaim Claim);

/// <summary>A queued item and the request waiting for its verdict.</summary>
internal sealed class PendingUsage(UsageItem item)
{
    private readonly TaskCompletionSource<UsageAdmission> verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public UsageItem Item => item;

    public Task<UsageAdmission> Verdict => verdict.Task;

    public void Complete(UsageAdmission admission) => verdict.TrySetResult(admission);
}
