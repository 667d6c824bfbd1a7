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

public sealed class UserAdministrationTests : IDisposable
{
    private readonly UserTestServices users = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Adding_a_user_with_a_password_stores_name_roles_and_a_working_password_and_no_link()
    {
        var created = await users.Administration.CreateAsync(UserTestServices.Outsider, new NewUserInput
        {
            Email = "  grace@example.com ", Name = " Grace Hopper ", Roles = ["tokenmanager", "AccountManager"], Password = "G00d-password!",
        }, UserTestServices.PortalBase, Ct);

        Assert.Null(created.SetPasswordUrl);
        Assert.Equal("grace@example.com", created.User.Email);
        Assert.Equal("Grace Hopper", created.User.Name);
        Assert.Equal([Roles.AccountManager, Roles.TokenManager], created.User.Roles);
        Assert.False(created.User.IsLocked);
        Assert.Equal(users.Clock.GetUtcNow().UtcDateTime, created.User.CreatedAt);
        Assert.Null(created.User.LastSignInAt);
        using var scope = users.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await manager.CheckPasswordAsync((await manager.FindByEmailAsync("grace@example.com"))!, "G00d-password!"));
    }

    [Fact]
    public async Task Without_a_password_the_link_sets_one_exactly_once()
    {
        var created = await users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "new@example.com", Roles = [Roles.TokenManager] }, UserTestServices.PortalBase, Ct);

        var link = new Uri(created.SetPasswordUrl!);
        Assert.Equal("https://portal.example.com/Account/SetPassword", link.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(link.Query);
        Assert.Equal(created.User.Id, query["userId"].ToString());
        using var scope = users.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await manager.FindByIdAsync(created.User.Id))!;
        Assert.False(await manager.HasPasswordAsync(user));

        Assert.True((await manager.ResetPasswordAsync(user, query["code"]!, "Ch0sen-password!")).Succeeded);
        var again = await manager.ResetPasswordAsync((await manager.FindByIdAsync(created.User.Id))!, query["code"]!, "An0ther-password!");

        Assert.Equal(nameof(IdentityErrorDescriber.InvalidToken), Assert.Single(again.Errors).Code);
        Assert.True(await manager.CheckPasswordAsync((await manager.FindByIdAsync(created.User.Id))!, "Ch0sen-password!"));
    }

    [Fact]
    public async Task A_set_password_link_expires_after_24_hours()
    {
        var early = await users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "early@example.com" }, UserTestServices.PortalBase, Ct);
        var late = await users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "late@example.com" }, UserTestServices.PortalBase, Ct);

        users.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        Assert.True(await SetPasswordAsync(early.SetPasswordUrl!));
        users.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await SetPasswordAsync(late.SetPasswordUrl!));
        Assert.False(await users.StoredAsync(late.User.Id) is { PasswordHash: not null });
    }

    [Fact]
    public async Task Locking_or_changing_roles_spends_an_unused_link()
    {
        var created = await users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "spent@example.com" }, UserTestServices.PortalBase, Ct);
        var changes = created.User.ToChanges();
        changes.Roles = [Roles.AccountManager];
        await users.Administration.UpdateAsync(UserTestServices.Outsider, created.User.Id, changes, Ct);

        Assert.False(await SetPasswordAsync(created.SetPasswordUrl!));
        var fresh = await users.Administration.IssueSetPasswordLinkAsync(UserTestServices.Outsider, created.User.Id, UserTestServices.PortalBase, Ct);
        Assert.True(await SetPasswordAsync(fresh));
    }

    [Fact]
    public async Task A_password_Identity_refuses_is_a_validation_error_on_password_and_nobody_is_added()
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "weak@example.com", Password = "short" }, UserTestServices.PortalBase, Ct));

        Assert.All(refused.Errors, e => Assert.Equal(nameof(NewUserInput.Password), e.PropertyName));
        Assert.Contains(refused.Errors, e => e.ErrorMessage.Contains("at least 8", StringComparison.Ordinal));
        Assert.Equal(0, (await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
    }

    [Theory]
    [InlineData("not-an-email", "Email")]
    [InlineData("", "Email")]
    public async Task Invalid_fields_are_refused_before_anything_is_stored(string email, string field)
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = email, Roles = ["Superuser"] }, UserTestServices.PortalBase, Ct));

        Assert.Contains(refused.Errors, e => e.PropertyName == field);
        Assert.Contains(refused.Errors, e => e.PropertyName == nameof(NewUserInput.Roles));
        Assert.Equal(0, (await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
    }

    [Fact]
    public async Task A_duplicate_email_is_a_conflict_on_email_whatever_its_case()
    {
        var first = await users.AddAsync("taken@example.com");

        var refused = await Assert.ThrowsAsync<ConflictException>(() => users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "TAKEN@example.com" }, UserTestServices.PortalBase, Ct));
        var other = await users.AddAsync("other@example.com");
        var changes = other.ToChanges();
        changes.Email = "taken@example.com";
        var renamed = await Assert.ThrowsAsync<ConflictException>(() => users.Administration.UpdateAsync(UserTestServices.Outsider, other.Id, changes, Ct));

        Assert.Equal(nameof(NewUserInput.Email), refused.Field);
        Assert.Equal(nameof(UserChanges.Email), renamed.Field);
        Assert.Equal(2, (await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
        Assert.Equal("other@example.com", (await users.Directory.GetAsync(UserTestServices.Outsider, other.Id, Ct)).Email);
        Assert.Equal(first.Id, (await users.StoredAsync(first.Id)).Id);
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_for_every_operation()
    {
        const string id = "no-such-user";
        await Assert.ThrowsAsync<NotFoundException>(() => users.Directory.GetAsync(UserTestServices.Outsider, id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => users.Administration.UpdateAsync(UserTestServices.Outsider, id,
            new UserChanges { Email = "x@example.com" }, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => users.Administration.DeleteAsync(UserTestServices.Outsider, id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => users.Administration.IssueSetPasswordLinkAsync(UserTestServices.Outsider, id, UserTestServices.PortalBase, Ct));
    }

    [Fact]
    public async Task The_last_unlocked_administrator_cannot_be_removed_locked_or_demoted()
    {
        var only = await users.AddAsync("only-admin@example.com", Roles.Administrator);
        var locked = only.ToChanges();
        locked.IsLocked = true;
        var demoted = only.ToChanges();
        demoted.Roles = [Roles.TokenManager];

        var byLock = await Assert.ThrowsAsync<ConflictException>(() => users.Administration.UpdateAsync(UserTestServices.Outsider, only.Id, locked, Ct));
        var byDemotion = await Assert.ThrowsAsync<ConflictException>(() => users.Administration.UpdateAsync(UserTestServices.Outsider, only.Id, demoted, Ct));
        var byRemoval = await Assert.ThrowsAsync<ConflictException>(() => users.Administration.DeleteAsync(UserTestServices.Outsider, only.Id, Ct));

        Assert.Equal(nameof(UserChanges.IsLocked), byLock.Field);
        Assert.Equal(nameof(UserChanges.Roles), byDemotion.Field);
        Assert.Contains("last unlocked administrator", byRemoval.Message, StringComparison.Ordinal);
        var after = await users.Directory.GetAsync(UserTestServices.Outsider, only.Id, Ct);
        Assert.Equal([Roles.Administrator], after.Roles);
        Assert.False(after.IsLocked);
        Assert.Equal(only.Id, (await users.StoredAsync(only.Id)).Id);
        Assert.Empty(await AuditAsync(AuditActions.Update));
        Assert.Empty(await AuditAsync(AuditActions.Delete));
    }

    [Fact]
    public async Task A_locked_administrator_does_not_count_as_the_one_that_remains()
    {
        var first = await users.AddAsync("first@example.com", Roles.Administrator);
        var second = await users.AddAsync("second@example.com", Roles.Administrator);
        var lockFirst = first.ToChanges();
        lockFirst.IsLocked = true;
        await users.Administration.UpdateAsync(UserTestServices.Outsider, first.Id, lockFirst, Ct);

        await Assert.ThrowsAsync<ConflictException>(() => users.Administration.DeleteAsync(UserTestServices.Outsider, second.Id, Ct));

        await users.Administration.DeleteAsync(UserTestServices.Outsider, first.Id, Ct);
        Assert.Equal(second.Id, Assert.Single((await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Items).Id);
    }

    [Fact]
    public async Task Two_administrators_demoting_each_other_at_once_leave_one_administrator()
    {
        var ada = await users.AddAsync("ada@example.com", Roles.Administrator);
        var bob = await users.AddAsync("bob@example.com", Roles.Administrator);
        Task Demote(UserView actor, UserView target)
        {
            var changes = target.ToChanges();
            changes.Roles = [];
            return users.Administration.UpdateAsync(UserTestServices.ActorFor(actor), target.Id, changes, Ct);
        }

        var outcomes = await Task.WhenAll(new[] { Demote(ada, bob), Demote(bob, ada) }.Select(async t =>
        {
            try { await t; return "done"; }
            catch (ConflictException) { return "refused"; }
        }));

        Assert.Equal(["done", "refused"], outcomes.Order());
        var admins = await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), Roles.Administrator, Ct);
        Assert.Equal(1, admins.Total);
    }

    [Fact]
    public async Task Nobody_changes_their_own_roles_or_locks_or_removes_themselves()
    {
        var ada = await users.AddAsync("ada@example.com", Roles.Administrator);
        await users.AddAsync("bob@example.com", Roles.Administrator);
        var self = UserTestServices.ActorFor(ada);
        var ownRoles = ada.ToChanges();
        ownRoles.Roles = [Roles.Administrator, Roles.TokenManager];
        var ownLock = ada.ToChanges();
        ownLock.IsLocked = true;
        var ownName = ada.ToChanges();
        ownName.Name = "Ada Lovelace";

        Assert.Equal(nameof(UserChanges.Roles), (await Assert.ThrowsAsync<ConflictException>(() => users.Administration.UpdateAsync(self, ada.Id, ownRoles, Ct))).Field);
        Assert.Equal(nameof(UserChanges.IsLocked), (await Assert.ThrowsAsync<ConflictException>(() => users.Administration.UpdateAsync(self, ada.Id, ownLock, Ct))).Field);
        await Assert.ThrowsAsync<ConflictException>(() => users.Administration.DeleteAsync(self, ada.Id, Ct));
        Assert.Equal([Roles.Administrator], (await users.Directory.GetAsync(self, ada.Id, Ct)).Roles);

        // Their own name is theirs to fix.
        Assert.Equal("Ada Lovelace", (await users.Administration.UpdateAsync(self, ada.Id, ownName, Ct)).Name);
    }

    [Fact]
    public async Task Locking_changes_the_security_stamp_and_unlocking_lets_them_in_again()
    {
        var bob = await users.AddAsync("bob@example.com", Roles.TokenManager);
        var stamp = (await users.StoredAsync(bob.Id)).SecurityStamp;
        var changes = bob.ToChanges();
        changes.IsLocked = true;

        var locked = await users.Administration.UpdateAsync(UserTestServices.Outsider, bob.Id, changes, Ct);
        Assert.True(locked.IsLocked);
        Assert.NotEqual(stamp, (await users.StoredAsync(bob.Id)).SecurityStamp);

        changes.IsLocked = false;
        var unlocked = await users.Administration.UpdateAsync(UserTestServices.Outsider, bob.Id, changes, Ct);
        Assert.False(unlocked.IsLocked);
        Assert.Null((await users.StoredAsync(bob.Id)).LockoutEnd);
    }

    [Fact]
    public async Task Only_administrators_may_read_or_change_users()
    {
        var manager = TestDatabase.ActorWith("am@example.com", Roles.AccountManager, Roles.TokenManager);

        await Assert.ThrowsAsync<ForbiddenException>(() => users.Directory.ListAsync(manager, new PageRequest(), cancellationToken: Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => users.Administration.CreateAsync(manager,
            new NewUserInput { Email = "x@example.com", Roles = [Roles.Administrator] }, UserTestServices.PortalBase, Ct));
        Assert.Equal(0, (await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
    }

    [Fact]
    public async Task The_list_searches_email_and_name_filters_by_role_and_pages_in_the_database()
    {
        await users.AddAsync("alice@example.com", Roles.Administrator);
        await users.AddAsync("bob@example.com", Roles.TokenManager);
        await users.AddAsync("carol@example.org", Roles.TokenManager, Roles.AccountManager);
        var named = await users.AddAsync("dave@example.org");
        var changes = named.ToChanges();
        changes.Name = "Dave 100%_Bobby";
        await users.Administration.UpdateAsync(UserTestServices.Outsider, named.Id, changes, Ct);

        var tokenManagers = await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), "tokenmanager", Ct);
        var bobs = await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(Search: "BOB"), cancellationToken: Ct);
        var literal = await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(Search: "100%_"), cancellationToken: Ct);
        var second = await users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(Page: 2, PageSize: 3), cancellationToken: Ct);

        Assert.Equal(["bob@example.com", "carol@example.org"], tokenManagers.Items.Select(u => u.Email));
        Assert.Equal([Roles.AccountManager, Roles.TokenManager], tokenManagers.Items[1].Roles);
        Assert.Equal(["bob@example.com", "dave@example.org"], bobs.Items.Select(u => u.Email));
        Assert.Equal("dave@example.org", Assert.Single(literal.Items).Email);
        Assert.Equal(4, second.Total);
        Assert.Equal("dave@example.org", Assert.Single(second.Items).Email);
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_what_and_where_and_never_a_password_or_link()
    {
        var admin = await users.AddAsync("admin@example.com", Roles.Administrator);
        var actor = UserTestServices.ActorFor(admin);
        var created = await users.Administration.CreateAsync(actor,
            new NewUserInput { Email = "linked@example.com", Roles = [Roles.TokenManager] }, UserTestServices.PortalBase, Ct);
        await users.Administration.CreateAsync(actor,
            new NewUserInput { Email = "pw@example.com", Password = "Pr1vate-password!" }, UserTestServices.PortalBase, Ct);
        var changes = created.User.ToChanges();
        changes.Roles = [Roles.AccountManager];
        changes.IsLocked = true;
        await users.Administration.UpdateAsync(actor, created.User.Id, changes, Ct);
        await users.Administration.DeleteAsync(actor, created.User.Id, Ct);

        var entries = await AuditAsync(null);
        var mine = entries.Where(e => e.ActorId == admin.Id).ToList();
        Assert.Equal([AuditActions.Create, AuditActions.Create, AuditActions.Update, AuditActions.Delete], mine.Select(e => e.Action));
        Assert.All(mine, e =>
        {
            Assert.Equal(AuditEntityTypes.User, e.EntityType);
            Assert.Equal("admin@example.com", e.ActorName);
            Assert.Equal("198.51.100.4", e.ClientIp);
            Assert.DoesNotContain("Pr1vate-password!", e.Summary, StringComparison.Ordinal);
            Assert.DoesNotContain("SetPassword", e.Summary, StringComparison.Ordinal);
            Assert.DoesNotContain(new Uri(created.SetPasswordUrl!).Query[1..], e.Summary, StringComparison.Ordinal);
        });
        Assert.Contains("roles: [TokenManager] → [AccountManager]", mine[2].Summary, StringComparison.Ordinal);
        Assert.Contains("locked", mine[2].Summary, StringComparison.Ordinal);
        Assert.Equal(created.User.Id, mine[3].EntityId);
    }

    private async Task<bool> SetPasswordAsync(string url)
    {
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);
        using var scope = users.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await manager.FindByIdAsync(query["userId"]!);
        return user is not null && (await manager.ResetPasswordAsync(user, query["code"]!, "Ch0sen-password!")).Succeeded;
    }

    private async Task<List<AuditEntry>> AuditAsync(string? action)
    {
        await using var db = users.Database.OpenContext();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => action == null || e.Action == action).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    public void Dispose() => users.Dispose();
}
