using System.Security.Cryptography;
using System.Text;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Packages;

public sealed class PackageServiceTests : IDisposable
{
    private readonly PackageTestServices services = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Actor Admin => TestDatabase.Administrator;

    public void Dispose() => services.Dispose();

    private Task<PackageView> UploadAsync(string name, string version, string filename, string content,
        string? tags = null, Actor? actor = null, string repo = "acme") =>
        services.PackageUploads.UploadAsync(actor ?? Admin, repo, name, version, tags, filename,
            new MemoryStream(Encoding.UTF8.GetBytes(content)), "application/gzip", cancellationToken: Ct);

    private static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private AuditEntry[] AuditLog()
    {
        using var db = services.Database.OpenContext();
        return db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityType == AuditEntityTypes.Package).OrderBy(a => a.Id).ToArray();
    }

    private int StoredFiles()
    {
        using var db = services.Database.OpenContext();
        return db.Set<PackageFile>().Count();
    }

    [Fact]
    public async Task Upload_creates_the_version_with_its_file_and_blob()
    {
        await services.CreateRepositoryAsync("acme");

        var package = await UploadAsync(" acme-agent ", "2.0.0", "agent.tar.gz", "binary", tags: "LTS, stable,lts");

        Assert.Equal(("acme-agent", "2.0.0", "raw", "admin@example.com"), (package.Name, package.Version, package.Format, package.UploadedBy));
        Assert.Equal(["lts", "stable"], package.Tags);
        var file = Assert.Single(package.Files);
        Assert.Equal(new PackageFileView("agent.tar.gz", 6, Sha("binary")), file);
        Assert.True(await services.Storage.ExistsAsync(file.Sha256, TestContext.Current.CancellationToken));
        var read = await services.PackageQueries.GetAsync(Admin, "acme", package.Id, Ct);
        Assert.Equal((package.Name, package.Version, package.UploadedAt), (read.Name, read.Version, read.UploadedAt));
        Assert.Equal(package.Files, read.Files);
        Assert.Equal(1, (await services.Repositories.GetAsync(Admin, "acme", Ct)).PackageCount);
    }

    [Fact]
    public async Task A_second_file_joins_the_existing_version()
    {
        await services.CreateRepositoryAsync("acme");
        var first = await UploadAsync("acme-agent", "2.0.0", "agent.tar.gz", "linux");

        var second = await UploadAsync("acme-agent", "2.0.0", "agent.zip", "windows");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(["agent.tar.gz", "agent.zip"], second.Files.Select(f => f.Filename));
    }

    [Fact]
    public async Task Same_file_name_again_is_a_conflict_on_file_and_stores_nothing_new()
    {
        await services.CreateRepositoryAsync("acme");
        await UploadAsync("acme-agent", "2.0.0", "agent.tar.gz", "original");

        var conflict = await Assert.ThrowsAsync<ConflictException>(() => UploadAsync("acme-agent", "2.0.0", "agent.tar.gz", "replacement"));

        Assert.Equal("file", conflict.Field);
        Assert.Contains("agent.tar.gz", conflict.Message);
        Assert.False(await services.Storage.ExistsAsync(Sha("replacement"), TestContext.Current.CancellationToken));
        Assert.Single(services.BlobFiles());
    }

    [Fact]
    public async Task A_version_equal_to_a_stored_one_but_written_differently_is_a_conflict_on_version()
    {
        await services.CreateRepositoryAsync("acme");
        await UploadAsync("acme-agent", "1.2.0", "a.bin", "first");

        var conflict = await Assert.ThrowsAsync<ConflictException>(() => UploadAsync("acme-agent", "v1.2", "b.bin", "second"));

        Assert.Equal("version", conflict.Field);
        Assert.Contains("'1.2.0'", conflict.Message);
        Assert.Single(services.BlobFiles());
        // Other names, and versions that really differ, are unaffected.
        await UploadAsync("other-tool", "1.2", "b.bin", "second");
        await UploadAsync("acme-agent", "1.2.1", "b.bin", "third");
    }

    [Fact]
    public async Task Empty_file_is_a_validation_error_and_leaves_no_blob()
    {
        await services.CreateRepositoryAsync("acme");

        var error = await Assert.ThrowsAsync<ValidationException>(() => UploadAsync("acme-agent", "2.0.0", "empty.bin", ""));

        Assert.Equal("file", Assert.Single(error.Errors).PropertyName);
        Assert.Empty(services.BlobFiles());
        Assert.Equal(0, StoredFiles());
    }

    [Fact]
    public async Task Invalid_name_version_and_tags_are_reported_together_by_field()
    {
        await services.CreateRepositoryAsync("acme");

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            UploadAsync("Acme Agent", "2.0 beta", "a.bin", "x", tags: "ok," + new string('t', 33)));

        Assert.Equal(["name", "tags", "version"], error.Errors.Select(e => e.PropertyName).Order());
        Assert.Empty(services.BlobFiles());
    }

    [Fact]
    public async Task Traversal_file_name_is_refused_before_anything_is_written()
    {
        await services.CreateRepositoryAsync("acme");

        var error = await Assert.ThrowsAsync<ValidationException>(() => UploadAsync("acme-agent", "1.0", "../../evil.sh", "x"));

        Assert.Equal("file", Assert.Single(error.Errors).PropertyName);
        Assert.Empty(services.BlobFiles());
    }

    [Fact]
    public async Task Unknown_repository_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => UploadAsync("acme-agent", "1.0", "a.bin", "x", repo: "nope"));
    }

    [Theory]
    [InlineData(Roles.TokenManager)]
    [InlineData(Roles.AccountManager)]
    [InlineData("")]
    public async Task Only_administrators_upload_or_delete(string role)
    {
        await services.CreateRepositoryAsync("acme");
        var stored = await UploadAsync("acme-agent", "1.0", "a.bin", "x");
        var actor = role == "" ? TestDatabase.ActorWith("someone@example.com") : TestDatabase.ActorWith("someone@example.com", role);

        // Staff roles see the private repository (403); an account without any standing in it is not told it exists (404).
        var refusal = role == "" ? typeof(NotFoundException) : typeof(ForbiddenException);
        await Assert.ThrowsAsync(refusal, () => UploadAsync("acme-agent", "1.1", "a.bin", "y", actor: actor));
        await Assert.ThrowsAsync(refusal, () => services.PackageRemoval.DeleteAsync(actor, "acme", stored.Id, Ct));

        Assert.False(await services.Storage.ExistsAsync(Sha("y"), TestContext.Current.CancellationToken));
        Assert.Equal(1, StoredFiles());
    }

    [Fact]
    public async Task Non_staff_see_packages_of_public_repositories_only()
    {
        await services.CreateRepositoryAsync("acme");
        await services.CreateRepositoryAsync("open", RepositoryVisibility.Public);
        await UploadAsync("secret-tool", "1.0", "a.bin", "x");
        await UploadAsync("open-tool", "1.0", "a.bin", "x", repo: "open");
        var reader = TestDatabase.ActorWith("reader@example.com");

        var all = await services.PackageQueries.ListAsync(reader, null, new PageRequest(), cancellationToken: Ct);

        Assert.Equal(["open-tool"], all.Items.Select(p => p.Name));
        await Assert.ThrowsAsync<NotFoundException>(() => services.PackageQueries.ListAsync(reader, "acme", new PageRequest(), cancellationToken: Ct));
    }

    [Fact]
    public async Task Delete_removes_a_blob_only_when_no_other_file_uses_it()
    {
        await services.CreateRepositoryAsync("acme");
        var shared = await UploadAsync("acme-agent", "1.0", "agent.bin", "same bytes");
        var other = await UploadAsync("acme-agent", "1.1", "agent.bin", "same bytes");
        var own = await UploadAsync("acme-agent", "1.1", "extra.bin", "only here");

        await services.PackageRemoval.DeleteAsync(Admin, "acme", other.Id, Ct);

        Assert.True(await services.Storage.ExistsAsync(Sha("same bytes"), TestContext.Current.CancellationToken));
        Assert.False(await services.Storage.ExistsAsync(Sha("only here"), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<NotFoundException>(() => services.PackageQueries.GetAsync(Admin, "acme", own.Id, Ct));

        await services.PackageRemoval.DeleteAsync(Admin, "acme", shared.Id, Ct);

        Assert.False(await services.Storage.ExistsAsync(Sha("same bytes"), TestContext.Current.CancellationToken));
        Assert.Empty(services.BlobFiles());
    }

    [Fact]
    public async Task Uploads_and_deletes_are_audited_with_who_and_what()
    {
        await services.CreateRepositoryAsync("acme");
        var package = await UploadAsync("acme-agent", "1.0", "agent.bin", "x");
        await UploadAsync("acme-agent", "1.0", "agent.zip", "y");

        await services.PackageRemoval.DeleteAsync(Admin, "acme", package.Id, Ct);

        var log = AuditLog();
        Assert.Equal([AuditActions.Create, AuditActions.Update, AuditActions.Delete], log.Select(a => a.Action));
        Assert.All(log, a => Assert.Equal(("acme/acme-agent/1.0", "admin@example.com", "203.0.113.7"), (a.EntityId, a.ActorName, a.ClientIp)));
        Assert.Contains("agent.bin", log[0].Summary);
        Assert.Contains(Sha("x"), log[0].Summary);
    }

    [Fact]
    public async Task List_is_filtered_by_a_package_query_and_sorted_by_version_within_a_name()
    {
        await services.CreateRepositoryAsync("acme");
        await UploadAsync("acme-agent", "1.9", "agent.tar.gz", "a", tags: "legacy");
        await UploadAsync("acme-agent", "1.10", "agent.tar.gz", "b");
        await UploadAsync("acme-agent", "2.0.0-rc1", "agent.zip", "c");
        await UploadAsync("other-tool", "3.0", "tool.bin", "d", tags: "lts");

        var all = await services.PackageQueries.ListAsync(Admin, "acme", new PageRequest(), cancellationToken: Ct);
        var recent = await services.PackageQueries.ListAsync(Admin, "acme", new PageRequest(),
            PackageQuery.Parse("name:acme* AND version:>=1.10"), Ct);
        var tagged = await services.PackageQueries.ListAsync(Admin, "acme", new PageRequest(), PackageQuery.Parse("tag:lts OR tag:legacy"), Ct);
        var zips = await services.PackageQueries.ListAsync(Admin, "acme", new PageRequest(), PackageQuery.Parse("filename:*.zip"), Ct);

        Assert.Equal(["2.0.0-rc1", "1.10", "1.9", "3.0"], all.Items.Select(p => p.Version));
        Assert.Equal(4, all.Total);
        Assert.Equal(["2.0.0-rc1", "1.10"], recent.Items.Select(p => p.Version));
        Assert.Equal(["1.9", "3.0"], tagged.Items.Select(p => p.Version));
        Assert.Equal(["2.0.0-rc1"], zips.Items.Select(p => p.Version));
    }

    [Fact]
    public async Task List_pages_after_filtering()
    {
        await services.CreateRepositoryAsync("acme");
        for (var i = 1; i <= 5; i++)
        {
            await UploadAsync("acme-agent", $"1.{i}", "a.bin", $"content {i}");
        }

        var page = await services.PackageQueries.ListAsync(Admin, "acme", new PageRequest(2, 2), PackageQuery.Parse("version:>1.1"), Ct);

        Assert.Equal(4, page.Total);
        Assert.Equal(["1.3", "1.2"], page.Items.Select(p => p.Version));
    }

    [Fact]
    public async Task A_clash_found_after_the_content_was_written_removes_that_content_again()
    {
        await services.CreateRepositoryAsync("acme");
        var content = new byte[50_000];
        new Random(5).NextBytes(content);
        var inserted = false;
        // While this upload streams, another one stores the same file name in the same version.
        var racing = new ChunkedStream(content, chunk: 10_000, onRead: _ =>
        {
            if (inserted)
            {
                return;
            }
            inserted = true;
            using var db = services.Database.OpenContext();
            var repositoryId = db.Set<Repository>().Single().Id;
            db.Add(new Package
            {
                RepositoryId = repositoryId, Name = "acme-agent", Version = "1.0", UploadedByName = "other", UploadedAt = DateTime.UtcNow,
                Files = [new PackageFile { Filename = "a.bin", Size = 1, Sha256 = new string('0', 64), ContentType = "x", UploadedAt = DateTime.UtcNow }],
            });
            db.SaveChanges();
        });

        var conflict = await Assert.ThrowsAsync<ConflictException>(() =>
            services.PackageUploads.UploadAsync(Admin, "acme", "acme-agent", "1.0", null, "a.bin", racing, cancellationToken: Ct));

        Assert.Equal("file", conflict.Field);
        Assert.False(await services.Storage.ExistsAsync(Convert.ToHexStringLower(SHA256.HashData(content)), TestContext.Current.CancellationToken));
        Assert.Empty(services.BlobFiles());
    }
}
