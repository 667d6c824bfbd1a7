using EntitlementPortal.Features.Downloads.ReadModel;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Data;

/// <summary>
/// The one model of the portal. Each database provider has a subclass so that each keeps its own
/// migrations; services only ever see this type (through <c>IDbContextFactory&lt;AppDbContext&gt;</c>).
/// </summary>
public abstract class AppDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.Name).HasMaxLength(ApplicationUser.NameMaxLength);
        });
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    /// <summary>
    /// Saves, and when the changes touch what downloads read (<see cref="DownloadModelChanges"/>) bumps the download
    /// model version in the same transaction, opening one when the caller has none: every instance's read model
    /// then drops what it cached on its very next request.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        using var detection = new SingleChangeDetection(ChangeTracker);
        if (!TouchesDownloadModel())
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        if (Database.CurrentTransaction is not null)
        {
            var saved = base.SaveChanges(acceptAllChangesOnSuccess);
            DownloadModelChanges.Bump(this);
            return saved;
        }
        using var transaction = Database.BeginTransaction();
        // Changes are accepted only after the commit, as EF does with its own transaction, so a failed commit
        // leaves them pending.
        var written = base.SaveChanges(acceptAllChangesOnSuccess: false);
        DownloadModelChanges.Bump(this);
        transaction.Commit();
        if (acceptAllChangesOnSuccess)
        {
            ChangeTracker.AcceptAllChanges();
        }
        return written;
    }

    /// <inheritdoc cref="SaveChanges(bool)"/>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        using var detection = new SingleChangeDetection(ChangeTracker);
        if (!TouchesDownloadModel())
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (Database.CurrentTransaction is not null)
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await DownloadModelChanges.BumpAsync(this, cancellationToken);
            return saved;
        }
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
        await DownloadModelChanges.BumpAsync(this, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (acceptAllChangesOnSuccess)
        {
            ChangeTracker.AcceptAllChanges();
        }
        return written;
    }

    private bool TouchesDownloadModel()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (DownloadModelChanges.Touches(entry))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Detects changes once for both the inspection and the save (each would otherwise scan every tracked entity),
    /// and restores the caller's setting afterwards.
    /// </summary>
    private readonly struct SingleChangeDetection : IDisposable
    {
        private readonly Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker;
        private readonly bool automatic;

        public SingleChangeDetection(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker)
        {
            this.tracker = tracker;
            automatic = tracker.AutoDetectChangesEnabled;
            if (automatic)
            {
                tracker.DetectChanges();
                tracker.AutoDetectChangesEnabled = false;
            }
        }

        public void Dispose() => tracker.AutoDetectChangesEnabled = automatic;
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; providers that drop DateTime.Kind get it back on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }
}
