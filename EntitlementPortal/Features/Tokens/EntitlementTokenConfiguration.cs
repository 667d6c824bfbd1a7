using EntitlementPortal.Features.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Tokens;

internal sealed class EntitlementTokenConfiguration : IEntityTypeConfiguration<EntitlementToken>
{
    private const string UserTokenFilter = "[Kind] = 'User'";

    public void Configure(EntityTypeBuilder<EntitlementToken> token)
    {
        token.ToTable("EntitlementTokens");
        token.Property(t => t.Name).HasMaxLength(TokenRules.NameMaxLength);
        token.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        token.Property(t => t.ResetPeriod).HasConversion<string>().HasMaxLength(16);
        token.Property(t => t.AfterExpiry).HasConversion<string>().HasMaxLength(16);
        token.Property(t => t.EulaAcceptedFrom).HasMaxLength(64);
        token.Property(t => t.SecretDigest).HasMaxLength(64).IsFixedLength();
        token.Property(t => t.PreviousSecretDigest).HasMaxLength(64).IsFixedLength();
        token.Property(t => t.SecretCiphertext).HasMaxLength(1024);
        token.Property(t => t.SecretHint).HasMaxLength(32);
        token.Property(t => t.LimitPackageQuery).HasMaxLength(TokenRules.PackageQueryMaxLength);
        token.Property(t => t.AllowedCidrs).HasMaxLength(4000);
        token.Property(t => t.MetadataJson).HasMaxLength(JsonMetadata.MaxLength);
        token.Property(t => t.LastClientIp).HasMaxLength(64);
        token.Property(t => t.CreatedBy).HasMaxLength(256);
        token.Property(t => t.RefreshedBy).HasMaxLength(256);

        // A secret is unique within its repository; the same custom string may serve several repositories.
        token.HasIndex(t => new { t.RepositoryId, t.SecretDigest }).IsUnique();
        token.HasIndex(t => t.SecretDigest);
        token.HasIndex(t => t.PreviousSecretDigest);
        // One user token per user per repository, decided by the database so two first page views on two
        // instances still make one token. Filtered on the kind (stored as its name) so standard tokens never
        // take part; "[Kind] = 'User'" reads the same in SQLite and SQL Server.
        token.HasIndex(t => new { t.RepositoryId, t.UserId }).IsUnique().HasFilter(UserTokenFilter);
        token.HasIndex(t => new { t.IsActive, t.IsDeleted, t.Kind });
        token.HasIndex(t => t.NextResetAt);
        // Covering, for repository metrics: a repository's standard tokens that are not deleted, with their state, are
        // read from the index alone (33,333 row lookups in the wide token table cost 0.1 s of CPU otherwise).
        token.HasIndex(t => new { t.RepositoryId, t.Kind, t.IsDeleted, t.IsActive });

        token.HasOne(t => t.Repository).WithMany().HasForeignKey(t => t.RepositoryId).OnDelete(DeleteBehavior.Cascade);
        token.HasOne(t => t.Customer).WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.SetNull);
        token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
