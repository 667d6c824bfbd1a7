using EntitlementPortal.Hosting;

namespace EntitlementPortal.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>
/// Where the data lives, resolved once at start-up from configuration. <see cref="DataDirectory"/> holds the
/// files that belong with the database: the folder of the SQLite file, or App_Data for the server databases.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string DataDirectory)
{
    public const string DefaultDatabaseFile = "portal.db";

    public static DatabaseSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var providerName = configuration["Database:Provider"];
        var provider = ParseProvider(providerName);
        var dataDirectory = Path.Combine(environment.ContentRootPath, "App_Data");
        var connectionString = configuration.GetConnectionString("Default");

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider != DatabaseProvider.Sqlite)
            {
                throw new StartupFailedException(
                    $"Database:Provider is {provider} but ConnectionStrings:Default is empty; set ConnectionStrings__Default.");
            }
            connectionString = $"Data Source={Path.Combine(dataDirectory, DefaultDatabaseFile)}";
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            // Files that belong with the database (master key, package storage) live beside the SQLite file.
            dataDirectory = SqliteDirectory(connectionString) ?? dataDirectory;
        }
        return new DatabaseSettings(provider, connectionString, dataDirectory);
    }

    private static string? SqliteDirectory(string connectionString)
    {
        try
        {
            var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            return string.IsNullOrEmpty(dataSource) || dataSource == ":memory:"
                ? null
                : Path.GetDirectoryName(Path.GetFullPath(dataSource));
        }
        catch (ArgumentException ex)
        {
            throw new StartupFailedException($"ConnectionStrings:Default is not a valid SQLite connection string ({ex.Message}).", ex);
        }
    }

    private static DatabaseProvider ParseProvider(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return DatabaseProvider.Sqlite;
        }
        // Enum.TryParse would also accept numbers ("1"); only the names are a supported setting.
        foreach (var provider in Enum.GetValues<DatabaseProvider>())
        {
            if (string.Equals(provider.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }
        throw new StartupFailedException(
            $"Database:Provider '{name}' is not supported; use Sqlite, SqlServer or PostgreSql.");
    }
}
