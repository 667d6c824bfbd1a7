using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Shared;

/// <summary>A user named in a membership or a grant: by id (as the API sends it) or by e-mail (as people type it).</summary>
public sealed record UserReference(string Id, string? Email);

public static class UserLookup
{
    /// <summary>The user with this id, or else with this e-mail address (case-insensitive); 404 when there is none.</summary>
    public static async Task<UserReference> FindAsync(AppDbContext db, string idOrEmail, CancellationToken cancellationToken)
    {
        var key = (idOrEmail ?? "").Trim();
        var normalized = key.ToUpperInvariant();
        var user = key.Length == 0 ? null : await db.Users.AsNoTracking()
            .Where(u => u.Id == key || u.NormalizedEmail == normalized)
            .OrderBy(u => u.Id == key ? 0 : 1)
            .Select(u => new UserReference(u.Id, u.Email))
            .FirstOrDefaultAsync(cancellationToken);
        return user ?? throw new NotFoundException($"User '{key}'");
    }

    /// <summary>How a user reads in audit summaries: the e-mail address and the id, which outlives a changed address.</summary>
    public static string Describe(UserReference user) => user.Email is null ? user.Id : $"{user.Email} ({user.Id})";
}
