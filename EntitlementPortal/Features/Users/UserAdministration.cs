using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Users;

/// <summary>
/// Adding, changing, locking and removing people: administrators only. Changes go through Identity's
/// UserManager (password rules, normalisation, security stamps), each operation in its own service scope,
/// so its context lives for that operation only; the audit entry commits in the same transaction.
/// </summary>
public sealed class UserAdministration(
    IServiceScopeFactory scopes,
    UserDirectory directory,
    IValidator<NewUserInput> newUserValidator,
    IValidator<UserChanges> changesValidator,
    AuditTrail audit,
    TimeProvider clock)
{
    /// <param name="portalBase">The portal's base address, for the set-password link (e.g. https://portal.example.com/).</param>
    public async Task<CreatedUser> CreateAsync(Actor actor, NewUserInput input, Uri portalBase, CancellationToken cancellationToken = default)
    {
        UserAuthorization.EnsureCanManage(actor);
        var wanted = new NewUserInput
        {
            Email = (input.Email ?? "").Trim(),
            Name = UserRules.CleanName(input.Name),
            Roles = UserRules.NormalizeRoles(input.Roles),
            Password = string.IsNullOrEmpty(input.Password) ? null : input.Password,
            IsLocked = input.IsLocked,
        };
        await newUserValidator.EnsureValidAsync(wanted, cancellationToken);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await InTransactionAsync(scope, async db =>
        {
            await EnsureEmailFreeAsync(users, wanted.Email, exceptId: null);
            var added = new ApplicationUser
            {
                UserName = wanted.Email,
                Email = wanted.Email,
                EmailConfirmed = true,
                Name = wanted.Name,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            Check(wanted.Password is null ? await users.CreateAsync(added) : await users.CreateAsync(added, wanted.Password));
            if (wanted.Roles.Count > 0)
            {
                Check(await users.AddToRolesAsync(added, wanted.Roles));
            }
            if (wanted.IsLocked)
            {
                await LockAsync(users, added);
            }
            audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.User, added.Id,
                $"Added user '{added.Email}'{(added.Name is null ? "" : $" ({added.Name})")} with roles {RoleList(wanted.Roles)}"
                + (wanted.IsLocked ? ", locked" : "")
                + (wanted.Password is null ? "; a set-password link was issued." : "; password set by the administrator."));
            await db.SaveChangesAsync(cancellationToken);
            return added;
        }, cancellationToken);
        // After the commit: the code carries the committed security stamp, and Data Protection may need to write a
        // new key to the database, which must not wait for this operation's own write lock.
        var url = wanted.Password is null ? SetPasswordLink.For(portalBase, user.Id, await users.GeneratePasswordResetTokenAsync(user)) : null;
        return new CreatedUser(await directory.GetAsync(actor, user.Id, cancellationToken), url);
    }

    public async Task<UserView> UpdateAsync(Actor actor, string id, UserChanges changes, CancellationToken cancellationToken = default)
    {
        UserAuthorization.EnsureCanManage(actor);
        var wanted = new UserChanges
        {
            Email = (changes.Email ?? "").Trim(),
            Name = UserRules.CleanName(changes.Name),
            Roles = UserRules.NormalizeRoles(changes.Roles),
            IsLocked = changes.IsLocked,
        };
        await changesValidator.EnsureValidAsync(wanted, cancellationToken);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        await InTransactionAsync(scope, async db =>
        {
            var user = await users.FindByIdAsync(id) ?? throw UserAuthorization.NotFound(id);
            var roles = UserRules.NormalizeRoles(await users.GetRolesAsync(user));
            var locked = await users.IsLockedOutAsync(user);
            var rolesChange = !roles.SequenceEqual(wanted.Roles);
            var isSelf = id == actor.UserId;
            if (isSelf && rolesChange)
            {
                throw new ConflictException(nameof(UserChanges.Roles), "You can't change your own roles: ask another administrator.");
            }
            if (isSelf && wanted.IsLocked && !locked)
            {
                throw new ConflictException(nameof(UserChanges.IsLocked), "You can't lock your own account.");
            }

            var said = new List<string>();
            if (!string.Equals(user.Email, wanted.Email, StringComparison.Ordinal))
            {
                await EnsureEmailFreeAsync(users, wanted.Email, exceptId: id);
                said.Add($"email: '{user.Email}' → '{wanted.Email}'");
                Check(await users.SetEmailAsync(user, wanted.Email));
                Check(await users.SetUserNameAsync(user, wanted.Email));
                // An administrator typed it; there is no mail server to confirm it with.
                user.EmailConfirmed = true;
                Check(await users.UpdateAsync(user));
            }
            if (user.Name != wanted.Name)
            {
                said.Add($"name: {Quote(user.Name)} → {Quote(wanted.Name)}");
                user.Name = wanted.Name;
                Check(await users.UpdateAsync(user));
            }
            if (rolesChange)
            {
                said.Add($"roles: {RoleList(roles)} → {RoleList(wanted.Roles)}");
                if (roles.Except(wanted.Roles).ToList() is { Count: > 0 } removed)
                {
                    Check(await users.RemoveFromRolesAsync(user, removed));
                }
                if (wanted.Roles.Except(roles).ToList() is { Count: > 0 } added)
                {
                    Check(await users.AddToRolesAsync(user, added));
                }
                // Open sessions carry the old roles: a new stamp makes them re-check within a minute.
                Check(await users.UpdateSecurityStampAsync(user));
            }
            if (wanted.IsLocked != locked)
            {
                said.Add(wanted.IsLocked ? "locked" : "unlocked");
                if (wanted.IsLocked)
                {
                    await LockAsync(users, user);
                }
                else
                {
                    Check(await users.SetLockoutEndDateAsync(user, null));
                    Check(await users.ResetAccessFailedCountAsync(user));
                }
            }
            if (said.Count == 0)
            {
                return 0;
            }
            if (roles.Contains(Roles.Administrator) && (!wanted.Roles.Contains(Roles.Administrator) || wanted.IsLocked))
            {
                await EnsureAnAdministratorRemainsAsync(users, wanted.IsLocked ? "locked" : "removed from the Administrator role",
                    wanted.IsLocked ? nameof(UserChanges.IsLocked) : nameof(UserChanges.Roles));
            }
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.User, id, $"'{wanted.Email}': {string.Join("; ", said)}");
            await db.SaveChangesAsync(cancellationToken);
            return said.Count;
        }, cancellationToken);
        return await directory.GetAsync(actor, id, cancellationToken);
    }

    /// <summary>Removes the account; its API keys and user tokens go with it (the database cascades).</summary>
    public async Task DeleteAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        UserAuthorization.EnsureCanManage(actor);
        if (id == actor.UserId)
        {
            throw new ConflictException("id", "You can't remove your own account.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        await InTransactionAsync(scope, async db =>
        {
            var user = await users.FindByIdAsync(id) ?? throw UserAuthorization.NotFound(id);
            var roles = UserRules.NormalizeRoles(await users.GetRolesAsync(user));
            Check(await users.DeleteAsync(user));
            if (roles.Contains(Roles.Administrator))
            {
                await EnsureAnAdministratorRemainsAsync(users, "removed", "id");
            }
            audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.User, id, $"Removed user '{user.Email}' (roles {RoleList(roles)}).");
            await db.SaveChangesAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>A fresh set-password link (the old one stops working): for a link that expired or was lost.</summary>
    public async Task<string> IssueSetPasswordLinkAsync(Actor actor, string id, Uri portalBase, CancellationToken cancellationToken = default)
    {
        UserAuthorization.EnsureCanManage(actor);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await InTransactionAsync(scope, async db =>
        {
            var target = await users.FindByIdAsync(id) ?? throw UserAuthorization.NotFound(id);
            // A new stamp spends every earlier link; the password (if any) stays until the person sets a new one.
            Check(await users.UpdateSecurityStampAsync(target));
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.User, id, $"'{target.Email}': a new set-password link was issued.");
            await db.SaveChangesAsync(cancellationToken);
            return target;
        }, cancellationToken);
        return SetPasswordLink.For(portalBase, user.Id, await users.GeneratePasswordResetTokenAsync(user));
    }

    /// <summary>
    /// Runs inside the change's transaction, after it: concurrent demotions of the last two administrators
    /// are arbitrated by the database (the <see cref="DatabaseLock.People"/> lock), not by this process.
    /// </summary>
    private async Task EnsureAnAdministratorRemainsAsync(UserManager<ApplicationUser> users, string what, string field)
    {
        var now = clock.GetUtcNow();
        var administrators = await users.GetUsersInRoleAsync(Roles.Administrator);
        if (!administrators.Any(a => a.LockoutEnd is not { } until || until <= now))
        {
            throw new ConflictException(field, $"The last unlocked administrator can't be {what}: make someone else an administrator first.");
        }
    }

    private static async Task LockAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
        // Ends open sessions (cookies and circuits re-check the stamp every minute); API keys check the lockout on every call.
        Check(await users.UpdateSecurityStampAsync(user));
    }

    private static async Task EnsureEmailFreeAsync(UserManager<ApplicationUser> users, string email, string? exceptId)
    {
        if (await users.FindByEmailAsync(email) is { } other && other.Id != exceptId
            || await users.FindByNameAsync(email) is { } sameName && sameName.Id != exceptId)
        {
            throw DuplicateEmail(email);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction on the scope's context, under the <see cref="DatabaseLock.People"/>
    /// lock: changes to people wait for each other on every instance, so each sees the one before it.
    /// </summary>
    private static async Task<T> InTransactionAsync<T>(AsyncServiceScope scope, Func<AppDbContext, Task<T>> work, CancellationToken cancellationToken)
    {
        // The very context the scope's UserManager writes through, so the audit entry joins the same transaction.
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.TakeLockAsync(DatabaseLock.People, cancellationToken);
            var result = await work(db);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Lost a race past EnsureEmailFreeAsync: the unique user-name index decided.
            throw new ConflictException(nameof(NewUserInput.Email), "Another user already has this email address.");
        }
    }

    /// <summary>Identity's refusals as the service's own errors: password rules under "password", duplicates as 409.</summary>
    private static void Check(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }
        if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
        {
            throw new ConflictException(nameof(NewUserInput.Email), "Another user already has this email address.");
        }
        throw new ValidationException(result.Errors.Select(e => new ValidationFailure(FieldOf(e.Code), e.Description)));
    }

    private static string FieldOf(string code) => code switch
    {
        _ when code.StartsWith("Password", StringComparison.Ordinal) => nameof(NewUserInput.Password),
        "InvalidEmail" or "InvalidUserName" => nameof(NewUserInput.Email),
        _ when code.Contains("Role", StringComparison.Ordinal) => nameof(NewUserInput.Roles),
        _ => "",
    };

    private static ConflictException DuplicateEmail(string email) =>
        new(nameof(NewUserInput.Email), $"Another user already has the email address '{email}'.");

    private static string RoleList(IEnumerable<string> roles) => roles.Any() ? $"[{string.Join(", ", roles)}]" : "(none)";

    private static string Quote(string? value) => value is null ? "(none)" : $"'{value}'";
}

/// <summary>Where a set-password code is redeemed: the static page Components/Account/Pages/SetPassword.razor.</summary>
public static class SetPasswordLink
{
    public const string Path = "Account/SetPassword";

    public static string For(Uri portalBase, string userId, string code) =>
        new Uri(portalBase, $"{Path}?userId={Uri.EscapeDataString(userId)}&code={Uri.EscapeDataString(code)}").ToString();
}
