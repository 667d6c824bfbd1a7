using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EntitlementPortal.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

[assembly: AssemblyFixture(typeof(EntitlementPortal.Tests.Support.PostgresServerCleanup))]

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL server for the test run: a cluster in a temp folder (Debian's <c>postgresql</c> binaries),
/// listening on 127.0.0.1 and a free port, started on first use and stopped and removed when the test process ends.
/// Durability is switched off (fsync, synchronous commit): a test cluster never outlives the run. One database is
/// migrated once as a template; every test database is a copy of it (<see cref="CreateDatabaseAsync"/>).
/// Under root the server runs as the <c>postgres</c> user, as PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string TemplateDatabase = "ep_template";
    private static readonly Lazy<PostgresServer> Shared = new(Start);

    private readonly string folder;
    private readonly string binaries;
    private readonly string? runAs;

    private PostgresServer(string folder, string binaries, string? runAs, int port)
    {
        this.folder = folder;
        this.binaries = binaries;
        this.runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    private string DataFolder => Path.Combine(folder, "data");

    /// <summary>The run's server, started now if it isn't yet; fails (under CI) or skips the test when PostgreSQL is missing.</summary>
    public static PostgresServer Instance
    {
        get
        {
            RequireInstalled();
            return Shared.Value;
        }
    }

    /// <summary>A server of the caller's own (for tests that stop it), removed on <see cref="Dispose"/>.</summary>
    public static PostgresServer StartPrivate()
    {
        RequireInstalled();
        return Start();
    }

    private static void RequireInstalled()
    {
        if (FindBinaries() is null)
        {
            var message = "PostgreSQL is not installed (initdb/pg_ctl not found); ./test.sh installs Debian's postgresql when run as root.";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(message);
            }
            Assert.Skip(message);
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        // Many test databases live side by side: idle connections go back to the server quickly.
        MaxPoolSize = 30,
        ConnectionIdleLifetime = 2,
        ConnectionPruningInterval = 1,
        Timeout = 30,
        CommandTimeout = 60,
    }.ConnectionString;

    /// <summary>A new database with the latest schema (a copy of the migrated template); its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "ep_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateDatabase}\"");
        return ConnectionString(name);
    }

    /// <summary>An empty database (no schema), for tests of the migrations themselves.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = "ep_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut), as when the database host goes away.</summary>
    public void Stop() => RunTool("pg_ctl", "-D", DataFolder, "-m", "fast", "-w", "stop");

    /// <summary>Starts the stopped server again on the same port.</summary>
    public void Restart() => StartServer();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static PostgresServer Start()
    {
        var binaries = FindBinaries()!;
        var folder = Path.Combine(Path.GetTempPath(), "ep-tests", "postgres-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var runAs = Environment.UserName == "root" || geteuid() == 0 ? "postgres" : null;
        var server = new PostgresServer(folder, binaries, runAs, FreePort());
        if (runAs is not null)
        {
            server.RunCommand("chown", [runAs, folder], asServerUser: false);
        }
        server.RunTool("initdb", "-D", server.DataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
        server.StartServer();
        // Also when the run ends some other way than through the assembly fixture.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Remove();
        server.MigrateTemplate();
        return server;
    }

    private void StartServer()
    {
        var options = $"-c listen_addresses=127.0.0.1 -p {Port} -k {DataFolder} -c max_connections=400 "
            + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB";
        RunTool("pg_ctl", "-D", DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start");
    }

    private void MigrateTemplate()
    {
        ExecuteAsync($"CREATE DATABASE \"{TemplateDatabase}\"").GetAwaiter().GetResult();
        var connectionString = ConnectionString(TemplateDatabase);
        using (var db = DesignTimeOptions.CreatePostgreSql(connectionString))
        {
            db.Database.Migrate();
        }
        // A template can only be copied while nobody is connected to it.
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public void Dispose() => Remove();

    /// <summary>Stops the run's shared server if a test started it (see <see cref="PostgresServerCleanup"/>).</summary>
    internal static void StopShared()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Remove();
        }
    }

    private void Remove()
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        try
        {
            RunTool("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped (a test stopped it, or it never started).
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner gets it.
        }
    }

    private void RunTool(string tool, params string[] arguments) => RunCommand(Path.Combine(binaries, tool), arguments, asServerUser: true);

    private void RunCommand(string file, string[] arguments, bool asServerUser)
    {
        var start = asServerUser && runAs is not null ? new ProcessStartInfo("runuser", ["-u", runAs, "--", file, .. arguments]) : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = folder;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}");
        }
    }

    /// <summary>Debian keeps the server binaries in /usr/lib/postgresql/&lt;major&gt;/bin; the newest one wins.</summary>
    private static string? FindBinaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return debian ?? (ExternalTool.Find("pg_ctl") is { } pgCtl && ExternalTool.Find("initdb") is not null ? Path.GetDirectoryName(pgCtl) : null);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}

/// <summary>Stops the shared PostgreSQL server when the test run ends: an assembly fixture, disposed before the process exits.</summary>
public sealed class PostgresServerCleanup : IDisposable
{
    public void Dispose() => PostgresServer.StopShared();
}
