using EntitlementPortal.Data;
using EntitlementPortal.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EntitlementPortal.Tests.Demo;

/// <summary>
/// One seed-demo run on an empty database, shared by the tests that only read what it made; a copy of its data folder,
/// taken before anything reads it, for the test that runs the command again over it.
/// </summary>
public sealed class SeededDemoDatabase : IAsyncLifetime
{
    public const string AdminEmail = "demo-admin@example.com";
    public const int Events = 1500;
    public const int Tokens = 30;

    private readonly TempDirectory directory = new();
    private readonly TempDirectory pristine = new();

    public PortalProcess.Result Result { get; private set; } = default!;

    public static string ConnectionStringIn(TempDirectory folder) => $"Data Source={folder.File("data/portal.db")}";

    /// <summary>seed-demo with these options over the database in <paramref name="folder"/>/data, as an operator runs it.</summary>
    public static Task<PortalProcess.Result> SeedAsync(TempDirectory folder, params string[] options) =>
        PortalProcess.RunUntilExitAsync(["seed-demo", .. options], new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = ConnectionStringIn(folder),
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = "Demo-Password-2026!",
            ["Bootstrap__AdminApiKey"] = "demo-bootstrap-api-key-0123456789abcdef",
        }, TimeSpan.FromSeconds(120), folder.Path);

    public async ValueTask InitializeAsync()
    {
        // Enough tokens for some to be limited to networks, and enough events for refusals among them.
        Result = await SeedAsync(directory, "--events", $"{Events}", "--tokens", $"{Tokens}", "--seed", "11");
        CopyFolder(directory.File("data"), pristine.File("data"));
    }

    public SqliteAppDbContext Open() => DesignTimeOptions.CreateSqlite(ConnectionStringIn(directory));

    /// <summary>The database as the run left it (with its key file), into <paramref name="folder"/>/data.</summary>
    public void CopyTo(TempDirectory folder) => CopyFolder(pristine.File("data"), folder.File("data"));

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var folder in Directory.GetDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        directory.Dispose();
        pristine.Dispose();
        return ValueTask.CompletedTask;
    }
}
