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
/// <summary>Finding users, and the audit trail of changes to them.</summary>
public sealed class UserDirectoryAndAuditTests : UserAdministrationTestBase
{
    [Fact]
    public async Task The_list_searches_email_and_name_filters_by_role_and_pages_in_the_database()
    {
        await Users.AddAsync("alice@example.com", Roles.Administrator);
        await Users.AddAsync("bob@example.com", Roles.TokenManager);
        await Users.AddAsync("carol@example.org", Roles.TokenManager, Roles.AccountManager);
        var named = await Users.AddAsync("dave@example.org");
        var changes = named.ToChanges();
        changes.Name = "Dave 100%_Bobby";
        await Users.Administration.UpdateAsync(UserTestServices.Outsider, named.Id, changes, Ct);

        var tokenManagers = await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), "tokenmanager", Ct);
        var bobs = await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(Search: "BOB"), cancellationToken: Ct);
        var literal = await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(Search: "100%_"), cancellationToken: Ct);
        var second = await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(Page: 2, PageSize: 3), cancellationToken: Ct);

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
        var admin = await Users.AddAsync("admin@example.com", Roles.Administrator);
        var actor = UserTestServices.ActorFor(admin);
        var created = await Users.Administration.CreateAsync(actor,
            new NewUserInput { Email = "linked@example.com", Roles = [Roles.TokenManager] }, UserTestServices.PortalBase, Ct);
        await Users.Administration.CreateAsync(actor,
            new NewUserInput { Email = "pw@example.com", Password = "Pr1vate-password!" }, UserTestServices.PortalBase, Ct);
        var changes = created.User.ToChanges();
        changes.Roles = [Roles.AccountManager];
        changes.IsLocked = true;
        await Users.Administration.UpdateAsync(actor, created.User.Id, changes, Ct);
        await Users.Administration.DeleteAsync(actor, created.User.Id, Ct);

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
}
