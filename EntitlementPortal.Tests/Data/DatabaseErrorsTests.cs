using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Data;

public sealed class DatabaseErrorsTests : IDisposable
{
    private readonly TestDatabase database = new();

    private static Repository Repo(string slug) => new() { Slug = slug, Name = slug };

    [Fact]
    public async Task A_unique_index_violation_is_recognised()
    {
        await using var db = database.OpenContext();
        db.AddRange(Repo("same"), Repo("same"));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.True(DatabaseErrors.IsUniqueViolation(error));
    }

    [Fact]
    public async Task Other_failures_are_not_mistaken_for_duplicates()
    {
        await using var db = database.OpenContext();
        db.Add(new Repository { Slug = "no-name", Name = null! });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.False(DatabaseErrors.IsUniqueViolation(error));
    }

    public void Dispose() => database.Dispose();
}
