using EntitlementPortal.Hosting;

namespace EntitlementPortal.Features.Packages.Storage;

/// <summary>
/// <c>Storage:S3:*</c>. Without <see cref="AccessKey"/> and <see cref="SecretKey"/> the SDK's default credential chain
/// is used (environment, profile, instance or container role).
/// </summary>
public sealed record S3StorageSettings(string Bucket, Uri? ServiceUrl, string? Region, bool ForcePathStyle, string? AccessKey, string? SecretKey)
{
    public static S3StorageSettings From(IConfigurationSection section)
    {
        var bucket = section["Bucket"]?.Trim();
        if (string.IsNullOrEmpty(bucket))
        {
            throw new StartupFailedException($"{section.Path}:Bucket is required with Storage:Provider=S3.");
        }
        Uri? serviceUrl = null;
        if (section["ServiceUrl"] is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out serviceUrl) || serviceUrl.Scheme is not ("http" or "https")))
        {
            throw new StartupFailedException($"{section.Path}:ServiceUrl '{url}' is not an http or https address.");
        }
        var forcePathStyle = false;
        if (section["ForcePathStyle"] is { Length: > 0 } flag && !bool.TryParse(flag, out forcePathStyle))
        {
            throw new StartupFailedException($"{section.Path}:ForcePathStyle '{flag}' is not valid; use true or false.");
        }
        var accessKey = NullIfEmpty(section["AccessKey"]);
        var secretKey = NullIfEmpty(section["SecretKey"]);
        if ((accessKey is null) != (secretKey is null))
        {
            throw new StartupFailedException($"Set both {section.Path}:AccessKey and {section.Path}:SecretKey, or neither to use the default credential chain.");
        }
        var region = NullIfEmpty(section["Region"]);
        if (serviceUrl is null && region is null)
        {
            throw new StartupFailedException($"Set {section.Path}:Region (AWS) or {section.Path}:ServiceUrl (another S3-compatible service).");
        }
        return new S3StorageSettings(bucket, serviceUrl, region, forcePathStyle, accessKey, secretKey);
    }

    /// <summary>For logs: the bucket and the endpoint, never a key.</summary>
    public string Describe() => $"bucket '{Bucket}' at {(ServiceUrl is { } url ? url.GetLeftPart(UriPartial.Authority) : "AWS " + Region)}";

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
