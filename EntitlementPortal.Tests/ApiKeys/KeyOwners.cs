using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.ApiKeys;

/// <summary>
/// API keys belong to real accounts (a foreign key to the users table), so a test actor that creates keys
/// needs a user row with the same id.
/// </summary>
internal static class KeyOwners
{
    public static Actor Add(TestDatabase database, Actor actor)
    {
        using var db = database.OpenContext();
        db.Users.Add(new ApplicationUser
        {
            Id = actor.UserId!,
            UserName = actor.Name,
            NormalizedUserName = actor.Name.ToUpperInvariant(),
            Email = actor.Name,
            NormalizedEmail = actor.Name.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString(),
        });
        db.SaveChanges();
        return actor;
    }
}
