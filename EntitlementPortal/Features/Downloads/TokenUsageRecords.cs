using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EntitlementPortal.Features.Downloads;

/// <summary>A client address that has downloaded with a token: the unique key makes "distinct clients" exact.</summary>
public sealed class TokenClient
{
    public int TokenId { get; set; }
    public required string ClientIp { get; set; }
    public DateTime FirstSeenAt { get; set; }
}

/// <summary>
/// A file already counted as a download for a token and client, so a resumed (range) request for it is not
/// counted again. <see cref="FileKey"/> is a SHA-256 of "repo/package/version/filename" (short, fixed width).
/// </summary>
public sealed class TokenFileDownload
{
    public int TokenId { get; set; }
    public required string ClientIp { get; set; }
    public required string FileKey { get; set; }
    public DateTime CountedAt { get; set; }
}

internal sealed class TokenClientConfiguration : IEntityTypeConfiguration<TokenClient>
{
    public void Configure(EntityTypeBuilder<TokenClient> client)
    {
        client.ToTable("TokenClients");
        client.HasKey(c => new { c.TokenId, c.ClientIp });
        client.Property(c => c.ClientIp).HasMaxLength(64);
        client.HasOne<Tokens.EntitlementToken>().WithMany().HasForeignKey(c => c.TokenId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TokenFileDownloadConfiguration : IEntityTypeConfiguration<TokenFileDownload>
{
    public void Configure(EntityTypeBuilder<TokenFileDownload> file)
    {
        file.ToTable("TokenFileDownloads");
        file.HasKey(f => new { f.TokenId, f.ClientIp, f.FileKey });
        file.Property(f => f.ClientIp).HasMaxLength(64);
        file.Property(f => f.FileKey).HasMaxLength(64).IsFixedLength();
        file.HasOne<Tokens.EntitlementToken>().WithMany().HasForeignKey(f => f.TokenId).OnDelete(DeleteBehavior.Cascade);
    }
}
