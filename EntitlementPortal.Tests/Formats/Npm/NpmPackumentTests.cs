using EntitlementPortal.Features.Formats;
using EntitlementPortal.Features.Formats.Npm;

namespace EntitlementPortal.Tests.Formats.Npm;

/// <summary>The packument shows only what it is given (the visible versions) and never a dist-tag pointing elsewhere.</summary>
public sealed class NpmPackumentTests
{
    private static FormatFile File(string version, params string[] tags) =>
        new("@acme/widget", version, tags, $"widget-{version}.tgz", 10, new string('0', 64), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            $$"""{"name":"@acme/widget","version":"{{version}}","scripts":{"postinstall":"node x"},"description":"Widget","keywords":["a"]}""",
            """{"integrity":"sha512-AAAA","shasum":"abcd","fileCount":2,"unpackedSize":30}""");

    [Fact]
    public void Versions_carry_absolute_tarball_urls_under_the_scope_path_and_npm_digests()
    {
        var document = NpmPackument.Build("@acme/widget", [File("1.0.0", "latest")], "http://h:1/dl/basic/acme/npm", abbreviated: false);

        var version = document["versions"]!["1.0.0"]!;
        Assert.Equal("http://h:1/dl/basic/acme/npm/@acme/widget/-/widget-1.0.0.tgz", (string?)version["dist"]!["tarball"]);
        Assert.Equal("sha512-AAAA", (string?)version["dist"]!["integrity"]);
        Assert.Equal("abcd", (string?)version["dist"]!["shasum"]);
        Assert.Equal("@acme/widget@1.0.0", (string?)version["_id"]);
        Assert.Equal("Widget", (string?)document["description"]);
        Assert.NotNull(document["time"]!["1.0.0"]);
    }

    [Fact]
    public void A_tag_points_at_the_highest_visible_version_carrying_it_and_latest_falls_back_to_the_highest_release()
    {
        // 3.0.0 (the real "latest") is hidden from this caller: it is not in the list.
        var document = NpmPackument.Build("@acme/widget", [File("2.0.0-beta.1", "next"), File("1.1.0"), File("1.0.0", "latest")],
            "http://h/npm", abbreviated: false);
        var tags = document["dist-tags"]!;
        Assert.Equal("1.0.0", (string?)tags["latest"]);
        Assert.Equal("2.0.0-beta.1", (string?)tags["next"]);

        var untagged = NpmPackument.Build("@acme/widget", [File("2.0.0-beta.1", "next"), File("1.1.0")], "http://h/npm", abbreviated: false);
        Assert.Equal("1.1.0", (string?)untagged["dist-tags"]!["latest"]);
    }

    [Fact]
    public void Tags_that_npm_would_read_as_versions_are_not_dist_tags()
    {
        var document = NpmPackument.Build("@acme/widget", [File("1.0.0", "latest", "1", "v2", "lts")], "http://h/npm", abbreviated: false);

        Assert.Equal(["latest", "lts"], document["dist-tags"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public void The_abbreviated_document_keeps_what_an_install_needs_and_flags_install_scripts()
    {
        var document = NpmPackument.Build("@acme/widget", [File("1.0.0", "latest")], "http://h/npm", abbreviated: true);

        var version = document["versions"]!["1.0.0"]!.AsObject();
        Assert.True((bool)version["hasInstallScript"]!);
        Assert.NotNull(version["dist"]);
        Assert.False(version.ContainsKey("keywords"));
        Assert.False(version.ContainsKey("scripts"));
        Assert.NotNull(document["modified"]);
        Assert.Null(document["time"]);
    }

    [Fact]
    public void Snippets_give_a_scope_registry_for_scoped_packages_and_basic_auth_by_nerf_dart()
    {
        var snippets = new NpmFormat().Snippets(new SnippetContext("http://portal.example:8080", "acme", "ent_secret", ["@acme/widget", "tool"]));

        var tokenForm = snippets[0].Text;
        Assert.Contains("@acme:registry=http://portal.example:8080/dl/ent_secret/acme/npm/\n", tokenForm);
        Assert.Contains("registry=http://portal.example:8080/dl/ent_secret/acme/npm/\naudit=false\n", tokenForm);
        var basicForm = snippets[1].Text;
        Assert.Contains("@acme:registry=http://portal.example:8080/dl/basic/acme/npm/\n", basicForm);
        Assert.Contains($"//portal.example:8080/dl/basic/acme/npm/:_auth={Convert.ToBase64String("token:ent_secret"u8.ToArray())}\n", basicForm);
        Assert.Equal("npm install @acme/widget\nnpm install tool\n", snippets[2].Text);

        var placeholder = new NpmFormat().Snippets(new SnippetContext("https://p", "acme", null, ["@acme/widget"]));
        Assert.Contains("YOUR_TOKEN", placeholder[1].Text);
        Assert.DoesNotContain("registry=https://p/dl/basic/acme/npm/\naudit", placeholder[1].Text);
    }
}
