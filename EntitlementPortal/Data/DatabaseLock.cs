using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Data;

/// <summary>
/// A named lock that every app instance sharing the database respects: one row of <c>DatabaseLocks</c> per name,
/// seeded by the migrations. <see cref="DatabaseLocking.TakeLockAsync"/> takes it by updating that row at the
/// start of a transaction; the database then makes every other transaction that takes the same lock wait until
/// this one commits or rolls back. That holds on SQLite (one writer per file), SQL Server and PostgreSQL (a row
/// lock) alike, and nothing is kept in process memory, so a rule checked under the lock holds for any number of
/// instances. A crashed instance's lock ends with its connection.
/// </summary>
public sealed class DatabaseLock
{
    /// <summary>Changes that can make standard tokens active count the plan allowance under this lock.</summary>
    public const string PlanAllowance = "plan-allowance";

    /// <summary>"No user exists yet, so this one becomes administrator" is decided under this lock.</summary>
    public const string FirstAdministrator = "first-administrator";

    /// <summary>Changes to people (roles, lock-outs, removal) run under this lock, so an administrator always remains.</summary>
    public const string People = "people";

    private const string PackageBlobsPrefix = "package-blobs-";
    private const string HexDigits = "0123456789abcdef";

    public required string Name { get; set; }

    /// <summary>How often the lock was taken: the update that takes it has to change something.</summary>
    public long TimesTaken { get; set; }

    /// <summary>
    /// The lock for blobs whose SHA-256 starts with the same hex digit: "is this content still referenced?" and
    /// "this content is now referenced" take it, so they never interleave. Sixteen rows keep uploads of unrelated
    /// content from waiting on each other (on providers with row locks) without seeding a row per hash.
    /// </summary>
    public static string PackageBlobs(string sha256) => PackageBlobsPrefix + sha256[0];

    internal static IEnumerable<string> Names =>
        [PlanAllowance, FirstAdministrator, People, .. HexDigits.Select(digit => PackageBlobsPrefix + digit)];
}

public static class DatabaseLocking
{
    /// <summary>
    /// Takes the named lock for the rest of <paramref name="db"/>'s current transaction. Call it first in the
    /// transaction, before reading what the rule depends on, so those reads see every change committed under the
    /// lock before.
    /// </summary>
    public static async Task TakeLockAsync(this AppDbContext db, string name, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException($"The database lock '{name}' lasts as long as a transaction: begin one first.");
        }
        var taken = await db.Set<DatabaseLock>().Where(l => l.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.TimesTaken, l => l.TimesTaken + 1), cancellationToken);
        if (taken != 1)
        {
            throw new InvalidOperationException($"The database lock '{name}' is missing from DatabaseLocks; apply the migrations.");
        }
    }
}

internal sealed class DatabaseLockConfiguration : IEntityTypeConfiguration<DatabaseLock>
{
    public void Configure(EntityTypeBuilder<DatabaseLock> entity)
    {
        entity.ToTable("DatabaseLocks");
        entity.HasKey(l => l.Name);
        entity.Property(l => l.Name).HasMaxLength(64);
        entity.HasData(DatabaseLock.Names.Select(name => new DatabaseLock { Name = name }));
    }
}
