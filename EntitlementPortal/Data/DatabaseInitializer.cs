using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Hosting;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Data;

/// <summary>
/// Migrates the database, seeds the roles and creates the bootstrap administrator. Runs in
/// <see cref="StartingAsync"/>, before Kestrel accepts a request, so no request ever sees an old schema.
/// </summary>
internal sealed class DatabaseInitializer(
    IServiceProvider services,
    DatabaseSettings settings,
    IOptions<BootstrapOptions> bootstrap,
    ILogger<DatabaseInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider, cancellationToken);
        await SeedRolesOnceAsync(scope.ServiceProvider, cancellationToken);
        await CreateBootstrapAdministratorAsync(scope.ServiceProvider, cancellationToken);
    }

    private async Task MigrateAsync(IServiceProvider scoped, CancellationToken cancellationToken)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory();
        }

        var db = scoped.GetRequiredService<AppDbContext>();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (settings.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets downloads be recorded while pages read; the mode is stored in the file itself.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
        catch (Exception ex) when (ex is SqliteException or Microsoft.Data.SqlClient.SqlException or Npgsql.NpgsqlException
            or InvalidOperationException or TimeoutException)
        {
            throw new StartupFailedException(
                $"the {settings.Provider} database could not be opened or migrated ({StartupFailedException.FirstLine(ex.Message)}). Check ConnectionStrings:Default.", ex);
        }
        logger.LogInformation("Database ready ({Provider}).", settings.Provider);
    }

    private void EnsureSqliteDirectory()
    {
        var dataSource = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (string.IsNullOrEmpty(directory) || dataSource == ":memory:")
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailedException($"cannot create the database folder '{directory}': {ex.Message}", ex);
        }
    }

    /// <summary>Instances starting together on one database take turns, so each role is created exactly once.</summary>
    private static async Task SeedRolesOnceAsync(IServiceProvider scoped, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TakeLockAsync(DatabaseLock.People, cancellationToken);
        await SeedRolesAsync(scoped.GetRequiredService<RoleManager<IdentityRole>>());
        await transaction.CommitAsync(cancellationToken);
    }

    internal static async Task SeedRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    private async Task CreateBootstrapAdministratorAsync(IServiceProvider scoped, CancellationToken cancellationToken)
    {
        var options = bootstrap.Value;
        if (string.IsNullOrWhiteSpace(options.AdminEmail) || string.IsNullOrEmpty(options.AdminPassword))
        {
            return;
        }

        if (options.AdminApiKey is { } apiKey && !ApiKeySecret.IsPlausible(apiKey))
        {
            throw new StartupFailedException(
                $"Bootstrap:AdminApiKey must be {ApiKeySecret.MinimumLength} to 512 characters without spaces.");
        }

        var email = options.AdminEmail.Trim();
        var firstAdministrator = scoped.GetRequiredService<FirstAdministrator>();
        if (await firstAdministrator.IsEnrollmentOpenAsync(cancellationToken))
        {
            var result = await firstAdministrator.EnrollAsync(email, options.AdminPassword, cancellationToken);
            if (result.Errors.Any(e => e.Code == FirstAdministrator.ClosedCode))
            {
                // Another instance starting on the same database created the first user in the meantime.
                logger.LogInformation("Bootstrap administrator not created: {Reason}", FirstAdministrator.ClosedMessage);
            }
            else if (!result.Succeeded)
            {
                throw new StartupFailedException(
                    "Bootstrap:AdminEmail/AdminPassword were refused: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            }
            else
            {
                logger.LogInformation("Created the bootstrap administrator {Email}.", email);
            }
        }

        if (!string.IsNullOrEmpty(options.AdminApiKey))
        {
            var admin = await scoped.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
            if (admin is null)
            {
                logger.LogWarning("Bootstrap:AdminApiKey ignored: {Email} is not a user of this portal.", email);
                return;
            }
            await scoped.GetRequiredService<ApiKeyService>().EnsureBootstrapKeyAsync(admin.Id, options.AdminApiKey, cancellationToken);
        }
    }


    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
