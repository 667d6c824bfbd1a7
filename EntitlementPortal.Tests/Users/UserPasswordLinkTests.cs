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
/// <summary>Adding people with a password or a one-time set-password link.</summary>
public sealed class UserPasswordLinkTests : UserAdministrationTestBase
{
    [Fact]
    public async Task Adding_a_user_with_a_password_stores_name_roles_and_a_working_password_and_no_link()
    {
        var created = await Users.Administration.CreateAsync(UserTestServices.Outsider, new NewUserInput
        {
            Email = "  grace@example.com ", Name = " Grace Hopper ", Roles = ["tokenmanager", "AccountManager"], Password = "G00d-password!",
        }, UserTestServices.PortalBase, Ct);

        Assert.Null(created.SetPasswordUrl);
        Assert.Equal("grace@example.com", created.User.Email);
        Assert.Equal("Grace Hopper", created.User.Name);
        Assert.Equal([Roles.AccountManager, Roles.TokenManager], created.User.Roles);
        Assert.False(created.User.IsLocked);
        Assert.Equal(Users.Clock.GetUtcNow().UtcDateTime, created.User.CreatedAt);
        Assert.Null(created.User.LastSignInAt);
        using var scope = Users.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await manager.CheckPasswordAsync((await manager.FindByEmailAsync("grace@example.com"))!, "G00d-password!"));
    }

    [Fact]
    public async Task Without_a_password_the_link_sets_one_exactly_once()
    {
        var created = await Users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "new@example.com", Roles = [Roles.TokenManager] }, UserTestServices.PortalBase, Ct);

        var link = new Uri(created.SetPasswordUrl!);
        Assert.Equal("https://portal.example.com/Account/SetPassword", link.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(link.Query);
        Assert.Equal(created.User.Id, query["userId"].ToString());
        using var scope = Users.Services.CreateScope();
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
        var early = await Users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "early@example.com" }, UserTestServices.PortalBase, Ct);
        var late = await Users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "late@example.com" }, UserTestServices.PortalBase, Ct);

        Users.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        Assert.True(await SetPasswordAsync(early.SetPasswordUrl!));
        Users.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await SetPasswordAsync(late.SetPasswordUrl!));
        Assert.False(await Users.StoredAsync(late.User.Id) is { PasswordHash: not null });
    }

    [Fact]
    public async Task Locking_or_changing_roles_spends_an_unused_link()
    {
        var created = await Users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "spent@example.com" }, UserTestServices.PortalBase, Ct);
        var changes = created.User.ToChanges();
        changes.Roles = [Roles.AccountManager];
        await Users.Administration.UpdateAsync(UserTestServices.Outsider, created.User.Id, changes, Ct);

        Assert.False(await SetPasswordAsync(created.SetPasswordUrl!));
        var fresh = await Users.Administration.IssueSetPasswordLinkAsync(UserTestServices.Outsider, created.User.Id, UserTestServices.PortalBase, Ct);
        Assert.True(await SetPasswordAsync(fresh));
    }

    [Fact]
    public async Task A_password_Identity_refuses_is_a_validation_error_on_password_and_nobody_is_added()
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Users.Administration.CreateAsync(UserTestServices.Outsider,
            new NewUserInput { Email = "weak@example.com", Password = "short" }, UserTestServices.PortalBase, Ct));

        Assert.All(refused.Errors, e => Assert.Equal(nameof(NewUserInput.Password), e.PropertyName));
        Assert.Contains(refused.Errors, e => e.ErrorMessage.Contains("at least 8", StringComparison.Ordinal));
        Assert.Equal(0, (await Users.Directory.ListAsync(UserTestServices.Outsider, new PageRequest(), cancellationToken: Ct)).Total);
    }
}
