using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Packages;

/// <summary>The API app with a small upload limit, so the 413 path is cheap to reach.</summary>
public sealed class PackageApiFixture : IAsyncDisposable
{
    public const long MaxUploadBytes = 64 * 1024;

    public PackageApiFixture()
    {
        App.Settings["Storage:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public ApiAppFactory App { get; } = new();

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
