using EntitlementPortal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Identity;

/// <summary>
/// The only way an account comes into being without an administrator: the very first one, either from
/// bootstrap configuration or from the first person to register. Afterwards registration is closed.
/// </summary>
/// <param name="db">The scoped context Identity's stores save through, so the user, its role and the lock share one transaction.</param>
public sealed class FirstAdministrator(UserManager<ApplicationUser> userManager, AppDbContext db)
{
    public const string ClosedCode = "RegistrationClosed";

    public const string ClosedMessage =
        "Registration is closed: this portal already has an administrator. Ask an administrator to create your account.";

    public async Task<bool> IsEnrollmentOpenAsync(CancellationToken cancellationToken = default) =>
        !await userManager.Users.AnyAsync(cancellationToken);

    public async Task<IdentityResult> EnrollAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        // Two people racing to be first, on one instance or on several, must not both become administrators of a
        // fresh install: "no user yet" is checked under a database lock, in the transaction that creates the user.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TakeLockAsync(DatabaseLock.FirstAdministrator, cancellationToken);
        if (!await IsEnrollmentOpenAsync(cancellationToken))
        {
            return IdentityResult.Failed(new IdentityError { Code = ClosedCode, Description = ClosedMessage });
        }

        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await userManager.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created;
        }

        // A user that could not be made administrator is rolled back with the transaction.
        var promoted = await userManager.AddToRoleAsync(user, Roles.Administrator);
        if (promoted.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return promoted;
    }
}
