using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Packages;

/// <summary>Package files with two app instances on one database file and one package folder.</summary>
public sealed class PackageBlobsAcrossHostsTests : IDisposable
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("the same bytes, uploaded twice");

    private readonly PackageTestServices host = new();
    private readonly TransactionHold hold = new();
    private readonly PackageTestServices other;

    public PackageBlobsAcrossHostsTests()
    {
        other = new PackageTestServices(host, hold);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        other.Dispose();
        host.Dispose();
    }

    [Fact]
    public async Task A_delete_on_one_host_never_removes_a_blob_that_an_upload_on_the_other_host_references()
    {
        await host.CreateRepositoryAsync("acme");
        var old = await UploadAsync(host, "1.0");

        // The other host has the content in hand (the blob is already stored under its hash) and is held just
        // before it saves the row that will reference it; meanwhile this host deletes the only current reference.
        var upload = hold.RunAsync(() => UploadAsync(other, "2.0"));
        PackageView uploaded;
        try
        {
            await hold.WaitUntilReachedAsync(upload, Ct);
            await host.PackageRemoval.DeleteAsync(TestDatabase.Administrator, "acme", old.Id, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            hold.Release();
            uploaded = await upload;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(Content));
        Assert.Equal(sha, Assert.Single(uploaded.Files).Sha256);
        Assert.True(await host.Storage.ExistsAsync(sha, TestContext.Current.CancellationToken), "The new version's file lost its content.");
        await using var read = await host.Storage.OpenReadAsync(sha, TestContext.Current.CancellationToken);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(Content, copy.ToArray());
        Assert.Equal([host.Storage.PathFor(sha)], host.BlobFiles());
    }

    private static Task<PackageView> UploadAsync(PackageTestServices services, string version) =>
        services.PackageUploads.UploadAsync(TestDatabase.Administrator, "acme", "acme-agent", version, null, "agent.bin",
            new MemoryStream(Content), "application/octet-stream", cancellationToken: Ct);
}
