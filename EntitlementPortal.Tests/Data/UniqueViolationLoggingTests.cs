using EntitlementPortal.Data;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EntitlementPortal.Tests.Data;

/// <summary>
/// What the app's log shows when a save hits a unique index (a race lost between "is it free?" and the insert,
/// which the services answer as a conflict): EF's entries at Debug, no error with a stack trace. Other database
/// failures stay errors.
/// </summary>
public sealed class UniqueViolationLoggingTests : IAsyncDisposable
{
    private readonly LogRecording logs = new();
    private readonly PortalAppFactory app;

    public UniqueViolationLoggingTests()
    {
        app = new PortalAppFactory { LoggerProviders = { logs } };
        // Let EF's Debug entries through the app's filters, so the test sees at which level they arrive.
        app.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug";
        app.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug";
    }

    private static Repository Repo(string slug) => new() { Slug = slug, Name = slug };

    private async Task<DbUpdateException> SaveAsync(params Repository[] repositories)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        db.AddRange(repositories);
        return await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>EF's entries about the failed save: the failed command (logged without its exception) and the save.</summary>
    private IEnumerable<LogEntry> FailureEntries() =>
        logs.Entries.Where(e => e.EventId.Id == RelationalEventId.CommandError.Id || e.EventId.Id == CoreEventId.SaveChangesFailed.Id);

    [Fact]
    public async Task Lost_unique_index_race_is_logged_at_debug_not_as_an_error()
    {
        // The insert a losing racer makes: the same slug as a row that is already there.
        await app.WithDbAsync(async db =>
        {
            db.Add(Repo("taken"));
            return await db.SaveChangesAsync();
        });

        var failure = await SaveAsync(Repo("taken"));

        Assert.True(DatabaseErrors.IsUniqueViolation(failure));
        var entries = FailureEntries().ToList();
        // Both of EF's reports arrive, at Debug: the failed command and the failed save with the exception.
        Assert.Contains(entries, e => e.EventId.Id == RelationalEventId.CommandError.Id);
        Assert.Contains(entries, e => e.EventId.Id == CoreEventId.SaveChangesFailed.Id && e.Exception == failure);
        Assert.All(entries, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Other_database_failures_are_still_logged_as_errors()
    {
        var failure = await SaveAsync(new Repository { Slug = "no-name", Name = null! });

        Assert.False(DatabaseErrors.IsUniqueViolation(failure));
        Assert.Contains(FailureEntries(), e => e.EventId.Id == CoreEventId.SaveChangesFailed.Id && e.Level == LogLevel.Error
            && e.Exception == failure);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
