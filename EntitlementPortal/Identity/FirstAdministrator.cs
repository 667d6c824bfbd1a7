using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Identity;

/// <summary>
/// The only way an account comes into being without an administrator: the very first one, either from
/// bootstrap configuration or from the first person to register. Afterwards registration is closed.
/// </summary>
public sealed class FirstAdministrator(UserManager<ApplicationUser> userManager)
{
    public const string ClosedMessage =
        "Registration is closed: this portal already has an administrator. Ask an administrator to create your account.";

    // Two people racing to be first must not both become administrators of a fresh install.
    private static readonly SemaphoreSlim EnrollmentGate = new(1, 1);

    public async Task<bool> IsEnrollmentOpenAsync(CancellationToken cancellationToken = default) =>
        !await userManager.Users.AnyAsync(cancellationToken);

    public async Task<IdentityResult> EnrollAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        await EnrollmentGate.WaitAsync(cancellationToken);
        try
        {
            if (!await IsEnrollmentOpenAsync(cancellationToken))
            {
                return IdentityResult.Failed(new IdentityError { Code = "RegistrationClosed", Description = ClosedMessage });
            }

            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
            var created = await userManager.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return created;
            }

            var promoted = await userManager.AddToRoleAsync(user, Roles.Administrator);
            if (!promoted.Succeeded)
            {
                await userManager.DeleteAsync(user);
            }
            return promoted;
        }
        finally
        {
            EnrollmentGate.Release();
        }
    }
}
