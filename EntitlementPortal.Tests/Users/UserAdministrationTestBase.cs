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
/// <summary>User administration on a real SQLite file: the services, a fake clock, and helpers shared by its tests.</summary>
public abstract class UserAdministrationTestBase : IDisposable
{
    private protected UserTestServices Users { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected async Task<bool> SetPasswordAsync(string url)
    {
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);
        using var scope = Users.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await manager.FindByIdAsync(query["userId"]!);
        return user is not null && (await manager.ResetPasswordAsync(user, query["code"]!, "Ch0sen-password!")).Succeeded;
    }

    protected async Task<List<AuditEntry>> AuditAsync(string? action)
    {
        await using var db = Users.Database.OpenContext();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => action == null || e.Action == action).OrderBy(e => e.Id).ToListAsync(Ct);
    }
    public void Dispose()
    {
        Users.Dispose();
        GC.SuppressFinalize(this);
    }
}
