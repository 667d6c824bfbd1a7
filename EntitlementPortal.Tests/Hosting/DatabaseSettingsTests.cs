using EntitlementPortal.Data;
using EntitlementPortal.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace EntitlementPortal.Tests.Hosting;

public sealed class DatabaseSettingsTests
{
    private sealed class FakeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "EntitlementPortal";
        public string ContentRootPath { get; set; } = "/srv/portal";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static DatabaseSettings Resolve(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return DatabaseSettings.From(configuration, new FakeEnvironment());
    }

    [Fact]
    public void Defaults_to_a_sqlite_file_in_the_data_folder_beside_the_app()
    {
        var settings = Resolve();

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("Data Source=/srv/portal/App_Data/portal.db", settings.ConnectionString);
        Assert.Equal("/srv/portal/App_Data", settings.DataDirectory);
    }

    [Theory]
    [InlineData("sqlserver", DatabaseProvider.SqlServer)]
    [InlineData("SqlServer", DatabaseProvider.SqlServer)]
    [InlineData(" SQLITE ", DatabaseProvider.Sqlite)]
    [InlineData("postgresql", DatabaseProvider.PostgreSql)]
    [InlineData("PostgreSql", DatabaseProvider.PostgreSql)]
    public void Provider_names_are_case_insensitive(string name, DatabaseProvider expected)
    {
        var connection = expected == DatabaseProvider.Sqlite ? "Data Source=/data/portal.db" : "Server=db;Database=portal";
        var settings = Resolve(("Database:Provider", name), ("ConnectionStrings:Default", connection));
        Assert.Equal(expected, settings.Provider);
    }

    [Theory]
    [InlineData("Oracle")]
    [InlineData("1")]
    [InlineData("Sqlite;drop")]
    public void Unknown_provider_is_a_clear_startup_error(string name)
    {
        var error = Assert.Throws<StartupFailedException>(() => Resolve(("Database:Provider", name)));
        Assert.Contains($"'{name}' is not supported", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void SqlServer_without_a_connection_string_is_a_clear_startup_error()
    {
        var error = Assert.Throws<StartupFailedException>(() => Resolve(("Database:Provider", "SqlServer")));
        Assert.Contains("ConnectionStrings__Default", error.Message);
    }

    [Fact]
    public void An_explicit_connection_string_wins_and_moves_the_data_folder_beside_the_file()
    {
        var settings = Resolve(("ConnectionStrings:Default", "Data Source=/data/other.db"));

        Assert.Equal("Data Source=/data/other.db", settings.ConnectionString);
        Assert.Equal("/data", settings.DataDirectory);
    }

    [Fact]
    public void A_sql_server_connection_string_for_sqlite_is_a_clear_startup_error()
    {
        var error = Assert.Throws<StartupFailedException>(() => Resolve(("ConnectionStrings:Default", "Server=db;Database=portal")));
        Assert.Contains("not a valid SQLite connection string", error.Message);
    }

    [Fact]
    public void SqlServer_keeps_its_data_folder_beside_the_app()
    {
        var settings = Resolve(("Database:Provider", "SqlServer"), ("ConnectionStrings:Default", "Server=db;Database=portal"));
        Assert.Equal("/srv/portal/App_Data", settings.DataDirectory);
    }
}
