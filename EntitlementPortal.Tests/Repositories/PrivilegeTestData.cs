using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Repositories;

/// <summary>
/// Known people, teams, repositories and grants on a <see cref="TestDatabase"/>, made through the real services.
/// Users get the id <c>id-&lt;email&gt;</c>, the id <see cref="TestDatabase.ActorWith"/> gives its actors.
/// </summary>
public sealed class PrivilegeTestData(TestDatabase database, IServiceProvider services)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public RepositoryAccess Access => services.GetRequiredService<RepositoryAccess>();

    public RepositoryPrivilegeService Privileges => services.GetRequiredService<RepositoryPrivilegeService>();

    public TeamService Teams => services.GetRequiredService<TeamService>();

    public RepositoryService Repositories => services.GetRequiredService<RepositoryService>();

    public static string IdOf(string email) => "id-" + email;

    /// <summary>Stores a user (optionally locked, optionally with roles) and returns the actor that signs in as them.</summary>
    public async Task<Actor> UserAsync(string email, bool locked = false, params string[] roles)
    {
        await using var db = database.OpenContext();
        db.Users.Add(new ApplicationUser
        {
            Id = IdOf(email), UserName = email, NormalizedUserName = email.ToUpperInvariant(),
            Email = email, NormalizedEmail = email.ToUpperInvariant(), SecurityStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true, LockoutEnd = locked ? DateTimeOffset.UtcNow.AddYears(10) : null,
        });
        foreach (var role in roles)
        {
            var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstOrDefaultAsync(Ct);
            if (roleId is null)
            {
                roleId = Guid.NewGuid().ToString();
                db.Roles.Add(new IdentityRole { Id = roleId, Name = role, NormalizedName = role.ToUpperInvariant() });
            }
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = IdOf(email), RoleId = roleId });
        }
        await db.SaveChangesAsync(Ct);
        return TestDatabase.ActorWith(email, roles);
    }

    public async Task<int> RepositoryAsync(string slug, RepositoryVisibility visibility = RepositoryVisibility.Private) =>
        (await Repositories.CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = slug, Name = $"Repository {slug}", Visibility = visibility }, Ct)).Id;

    public Task TeamAsync(string slug, params string[] memberEmails) => TeamWithMembersAsync(slug, memberEmails);

    public Task GrantUserAsync(string repo, string email, RepositoryPrivilege privilege) =>
        Privileges.SetUserPrivilegeAsync(TestDatabase.Administrator, repo, IdOf(email), PrivilegeInput.For(privilege), Ct);

    public Task GrantTeamAsync(string repo, string team, RepositoryPrivilege privilege) =>
        Privileges.SetTeamPrivilegeAsync(TestDatabase.Administrator, repo, team, PrivilegeInput.For(privilege), Ct);

    private async Task TeamWithMembersAsync(string slug, string[] memberEmails)
    {
        await Teams.CreateAsync(TestDatabase.Administrator, new TeamInput { Slug = slug, Name = $"Team {slug}" }, Ct);
        foreach (var email in memberEmails)
        {
            await Teams.AddMemberAsync(TestDatabase.Administrator, slug, IdOf(email), Ct);
        }
    }
}
