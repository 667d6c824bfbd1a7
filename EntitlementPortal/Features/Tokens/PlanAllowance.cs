using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Tokens;

public sealed class PlanOptions
{
    public const string Section = "Plan";

    /// <summary>How many active standard tokens the plan allows; 0 means unlimited.</summary>
    public int MaxActiveTokens { get; set; }
}

public sealed record TokenAllowance(int Active, int Max)
{
    public bool IsUnlimited => Max == 0;

    public bool IsFull => !IsUnlimited && Active >= Max;

    public override string ToString() =>
        IsUnlimited ? $"{Active} active {(Active == 1 ? "token" : "tokens")} (no plan limit)" : $"{Active} of {Max} active tokens";
}

/// <summary>
/// The plan's rule "at most <see cref="Max"/> active standard tokens", applied inside the transaction of the
/// change that saves tokens. Every change that can make standard tokens active holds the allowance first and
/// counts only after that, so two changes can never both take the last free place, on one instance or on
/// several: the database makes the second wait for the first's commit and then counts what it committed.
/// </summary>
public readonly record struct PlanAllowance(int Max)
{
    public static PlanAllowance From(PlanOptions options) => new(options.MaxActiveTokens);

    public bool IsUnlimited => Max == 0;

    public static Task<int> CountActiveAsync(AppDbContext db, CancellationToken cancellationToken) =>
        db.Set<EntitlementToken>().CountAsync(t => t.IsActive && !t.IsDeleted && t.Kind == TokenKind.Standard, cancellationToken);

    /// <summary>Holds the allowance for the rest of <paramref name="db"/>'s transaction (nothing to hold when unlimited).</summary>
    public async Task HoldAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (!IsUnlimited)
        {
            await db.TakeLockAsync(DatabaseLock.PlanAllowance, cancellationToken);
        }
    }

    /// <summary>Refuses one more active token when the plan is full; the caller's transaction then keeps the allowance.</summary>
    public async Task EnsureRoomForOneAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        await HoldAsync(db, cancellationToken);
        if (!IsUnlimited && await CountActiveAsync(db, cancellationToken) >= Max)
        {
            throw new ConflictException(nameof(TokenInput.IsActive),
                $"The plan allows {Max} active {(Max == 1 ? "token" : "tokens")} and all are in use. Disable or delete a token first, or raise Plan:MaxActiveTokens.");
        }
    }
}
