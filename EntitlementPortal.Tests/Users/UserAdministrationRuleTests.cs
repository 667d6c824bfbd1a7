using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Users;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Users;
/// <summary>What user administration refuses: bad input, duplicates, the last administrator, changes to oneself, non-administrators.</summary>
public sealed class UserAdministrationRuleTests : UserAdministrationTestBase
{
    [Theory]
    [InlineData("not-an-email", "Email")]
    [InlineData("", "Email")]
    public async Task Invalid_fields_are_refused_before_anything_is_stored(string email, string field)
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = email, Roles = ["Superuser"] }, UserTestServices.PortalBase, Ct));

        Assert.Contains(refused.Errors, e => e.PropertyName == field);
        Assert.Contains(refused.Errors, e => e.PropertyName == nameof(NewUserInput.Roles));
        Assert.Equal(0, (await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
    }

    [Fact]
    public async Task A_duplicate_email_is_a_conflict_on_email_whatever_its_case()
    {
        var first = await Users.AddAsync("taken@example.com");

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "TAKEN@example.com" }, UserTestServices.PortalBase, Ct));
        var other = await Users.AddAsync("other@example.com");
        var changes = other.ToChanges();
        changes.Email = "taken@example.com";
        var renamed = await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.UpdateAsync(UserTestServices.Outsider, other.Id, changes, Ct));

        Assert.Equal(nameof(NewUserInput.Email), refused.Field);
        Assert.Equal(nameof(UserChanges.Email), renamed.Field);
        Assert.Equal(2, (await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
        Assert.Equal("other@example.com", (await Users.Directory.GetAsync(UserTestServices.Outsider, other.Id, Ct)).Email);
        Assert.Equal(first.Id, (await Users.StoredAsync(first.Id)).Id);
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_for_every_operation()
    {
        const string id = "no-such-user";
        await Assert.ThrowsAsync<NotFoundException>(() => Users.Directory.GetAsync(UserTestServices.Outsider, id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Users.Administration.UpdateAsync(UserTestServices.Outsider, id,
            new UserChanges { Email = "x@example.com" }, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Users.Administration.DeleteAsync(UserTestServices.Outsider, id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Users.Administration.IssueSetPasswordLinkAsync(UserTestServices.Outsider, id, UserTestServices.PortalBase, Ct));
    }

    [Fact]
    public async Task The_last_unlocked_administrator_cannot_be_removed_locked_or_demoted()
    {
        var only = await Users.AddAsync("only-admin@example.com", Roles.Administrator);
        var locked = only.ToChanges();
        locked.IsLocked = true;
        var demoted = only.ToChanges();
        demoted.Roles = [Roles.TokenManager];

        var byLock = await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.UpdateAsync(UserTestServices.Outsider, only.Id, locked, Ct));
        var byDemotion = await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.UpdateAsync(UserTestServices.Outsider, only.Id, demoted, Ct));
        var byRemoval = await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.DeleteAsync(UserTestServices.Outsider, only.Id, Ct));

        Assert.Equal(nameof(UserChanges.IsLocked), byLock.Field);
        Assert.Equal(nameof(UserChanges.Roles), byDemotion.Field);
        Assert.Contains("last unlocked administrator", byRemoval.Message, StringComparison.Ordinal);
        var after = await Users.Directory.GetAsync(UserTestServices.Outsider, only.Id, Ct);
        Assert.Equal([Roles.Administrator], after.Roles);
        Assert.False(after.IsLocked);
        Assert.Equal(only.Id, (await Users.StoredAsync(only.Id)).Id);
        Assert.Empty(await AuditAsync(AuditActions.Update));
        Assert.Empty(await AuditAsync(AuditActions.Delete));
    }

    [Fact]
    public async Task A_locked_administrator_does_not_count_as_the_one_that_remains()
    {
        var first = await Users.AddAsync("first@example.com", Roles.Administrator);
        var second = await Users.AddAsync("second@example.com", Roles.Administrator);
        var lockFirst = first.ToChanges();
        lockFirst.IsLocked = true;
        await Users.Administration.UpdateAsync(UserTestServices.Outsider, first.Id, lockFirst, Ct);

        await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.DeleteAsync(UserTestServices.Outsider, second.Id, Ct));

        await Users.Administration.DeleteAsync(UserTestServices.Outsider, first.Id, Ct);
        Assert.Equal(second.Id, Assert.Single((await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Items).Id);
    }

    [Fact]
    public async Task Two_administrators_demoting_each_other_at_once_leave_one_administrator()
    {
        var ada = await Users.AddAsync("ada@example.com", Roles.Administrator);
        var bob = await Users.AddAsync("bob@example.com", Roles.Administrator);
        Task Demote(UserView actor, UserView target)
        {
            var changes = target.ToChanges();
            changes.Roles = [];
            return Users.Administration.UpdateAsync(UserTestServices.ActorFor(actor), target.Id, changes, Ct);
        }

        var outcomes = await Task.WhenAll(new[] { Demote(ada, bob), Demote(bob, ada) }.Select(async t =>
        {
            try { await t; return "done"; }
            catch (ConflictException) { return "refused"; }
        }));

        Assert.Equal(["done", "refused"], outcomes.Order());
        var admins = await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), Roles.Administrator, Ct);
        Assert.Equal(1, admins.Total);
    }

    [Fact]
    public async Task Nobody_changes_their_own_roles_or_locks_or_removes_themselves()
    {
        var ada = await Users.AddAsync("ada@example.com", Roles.Administrator);
        await Users.AddAsync("bob@example.com", Roles.Administrator);
        var self = UserTestServices.ActorFor(ada);
        var ownRoles = ada.ToChanges();
        ownRoles.Roles = [Roles.Administrator, Roles.TokenManager];
        var ownLock = ada.ToChanges();
        ownLock.IsLocked = true;
        var ownName = ada.ToChanges();
        ownName.Name = "Ada Lovelace";

        Assert.Equal(nameof(UserChanges.Roles), (await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.UpdateAsync(self, ada.Id, ownRoles, Ct))).Field);
        Assert.Equal(nameof(UserChanges.IsLocked), (await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.UpdateAsync(self, ada.Id, ownLock, Ct))).Field);
        await Assert.ThrowsAsync<ConflictException>(() => Users.Administration.DeleteAsync(self, ada.Id, Ct));
        Assert.Equal([Roles.Administrator], (await Users.Directory.GetAsync(self, ada.Id, Ct)).Roles);

        // Their own name is theirs to fix.
        Assert.Equal("Ada Lovelace", (await Users.Administration.UpdateAsync(self, ada.Id, ownName, Ct)).Name);
    }

    [Fact]
    public async Task Locking_changes_the_security_stamp_and_unlocking_lets_them_in_again()
    {
        var bob = await Users.AddAsync("bob@example.com", Roles.TokenManager);
        var stamp = (await Users.StoredAsync(bob.Id)).SecurityStamp;
        var changes = bob.ToChanges();
        changes.IsLocked = true;

        var locked = await Users.Administration.UpdateAsync(UserTestServices.Outsider, bob.Id, changes, Ct);
        Assert.True(locked.IsLocked);
        Assert.NotEqual(stamp, (await Users.StoredAsync(bob.Id)).SecurityStamp);

        changes.IsLocked = false;
        var unlocked = await Users.Administration.UpdateAsync(UserTestServices.Outsider, bob.Id, changes, Ct);
        Assert.False(unlocked.IsLocked);
        Assert.Null((await Users.StoredAsync(bob.Id)).LockoutEnd);
    }

    [Fact]
    public async Task Only_administrators_may_read_or_change_users()
    {
        var manager = TestDatabase.ActorWith("am@example.com", Roles.AccountManager, Roles.TokenManager);

        await Assert.ThrowsAsync<ForbiddenException>(() => Users.Directory.ListAsync(manager, new PageRequest(), cancellationToken: Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => Users.Administration.CreateAsync(manager,
            new NewUserInput { Email = "x@example.com", Roles = [Roles.Administrator] }, UserTestServices.PortalBase, Ct));
        Assert.Equal(0, (await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
    }
}
