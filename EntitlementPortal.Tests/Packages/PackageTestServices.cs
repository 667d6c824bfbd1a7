using EntitlementPortal.Data;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Packages;

/// <summary>The feature services over a migrated SQLite file, with package storage in a temp folder beside it.</summary>
internal sealed class PackageTestServices : IDisposable
{
    private readonly TempDirectory dataDirectory;
    private readonly bool ownsFiles;

    public PackageTestServices(long? maxUploadBytes = null)
    {
        var settings = new Dictionary<string, string?>();
        if (maxUploadBytes is { } max)
        {
            settings["Storage:MaxUploadBytes"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        dataDirectory = new TempDirectory();
        ownsFiles = true;
        Database = new TestDatabase(settings);
        var services = Database.AddTo(new ServiceCollection());
        AddStorage(services, Database, dataDirectory.Path);
        Provider = services.BuildServiceProvider();
    }

    /// <summary>
    /// A second app instance over <paramref name="first"/>'s database file, master key and package folder, with
    /// its own services (and so its own in-process state). Its files stay until <paramref name="first"/> is disposed.
    /// </summary>
    public PackageTestServices(PackageTestServices first, params IInterceptor[] interceptors)
    {
        dataDirectory = first.dataDirectory;
        Database = first.Database;
        var services = Database.AddTo(new ServiceCollection(), interceptors);
        AddStorage(services, Database, dataDirectory.Path);
        Provider = services.BuildServiceProvider();
    }

    public TestDatabase Database { get; }

    public ServiceProvider Provider { get; }

    public PackageQueries PackageQueries => Provider.GetRequiredService<PackageQueries>();
    public PackageUploads PackageUploads => Provider.GetRequiredService<PackageUploads>();
    public PackageRemoval PackageRemoval => Provider.GetRequiredService<PackageRemoval>();

    public PackageStorage Storage => Provider.GetRequiredService<PackageStorage>();

    public RepositoryService Repositories => Provider.GetRequiredService<RepositoryService>();

    /// <summary>What the host registers (DatabaseSettings) and the test database leaves out.</summary>
    public static void AddStorage(IServiceCollection services, TestDatabase database, string dataDirectory) =>
        services.AddSingleton(new DatabaseSettings(DatabaseProvider.Sqlite, database.ConnectionString, dataDirectory));

    public async Task CreateRepositoryAsync(string slug, RepositoryVisibility visibility = RepositoryVisibility.Private) =>
        await Repositories.CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = slug, Name = slug, Visibility = visibility }, TestContext.Current.CancellationToken);

    public string[] BlobFiles() =>
        Directory.Exists(Storage.Root) ? Directory.GetFiles(Storage.Root, "*", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        Provider.Dispose();
        if (ownsFiles)
        {
            Database.Dispose();
            dataDirectory.Dispose();
        }
    }
}
