using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Identity;

/// <summary>Keeps <see cref="ApplicationUser.LastSignInAt"/>: called by the sign-in pages when a sign-in to the portal succeeds.</summary>
public sealed class SignInRecorder(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task RecordAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One statement, no concurrency stamp: a sign-in must never fail because an administrator edited the user.
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, now), cancellationToken);
    }
}
