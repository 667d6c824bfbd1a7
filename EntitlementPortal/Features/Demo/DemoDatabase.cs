using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EntitlementPortal.Features.Demo;

/// <summary>Whether a database is fit for demo data, asked before anything (even a migration) is changed.</summary>
internal static class DemoDatabase
{
    public static async Task<bool> HoldsCatalogAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A database that does not exist yet, or has no tables yet, is empty; asking must not create it.
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken)
            || !(await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
        {
            return false;
        }
        return await db.Set<Repository>().AnyAsync(cancellationToken)
            || await db.Set<Customer>().AnyAsync(cancellationToken)
            || await db.Set<EntitlementToken>().AnyAsync(cancellationToken);
    }
}
