using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// One SQLite file migrated to the latest schema per test run, copied for every new test database and app host.
/// Applying every migration to a fresh file was most of what starting a test host cost; a copy of the migrated file
/// is the same database, and the app's start-up still runs its migration step over it (finding nothing to apply).
/// Migrating an empty file is what <c>MigrationTests</c>, the migration data tests and the process tests check.
/// </summary>
internal static class MigratedTemplate
{
    // Lazy's default mode runs the factory once even when the first hosts start in parallel.
    private static readonly Lazy<string> File = new(Create);

    /// <summary>Puts a migrated, empty database at <paramref name="databasePath"/> (which must not exist yet).</summary>
    public static void CopyTo(string databasePath) => System.IO.File.Copy(File.Value, databasePath);

    private static string Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ep-tests", "template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "portal.db");
        // No pooling: the file must be closed (no journal beside it) before it is copied.
        using (var db = DesignTimeOptions.CreateSqlite($"Data Source={path};Pooling=False"))
        {
            db.Database.Migrate();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // The OS temp cleaner gets it.
            }
        };
        return path;
    }
}
