using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Support;
using EntitlementPortal.Tests.Tokens.UserTokens;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Downloads.ReadModel;

/// <summary>
/// Each instance caches repositories, tokens and files for one value of the database's change version. The reader
/// host's cache is warmed with a served download, the change is made through the API of the first host, and the
/// reader's very next request must get exactly what a cold cache would: with the reader the same host, and with
/// the reader a second instance on the same database (whose process memory the change never touched).
/// </summary>
public sealed class DownloadReadModelAcrossHostsTests : UserTokenHttpTestBase
{
    private PortalAppFactory? second;

    private HttpClient ReaderOf(bool twoHosts)
    {
        if (!twoHosts)
        {
            return Anonymous;
        }
        second ??= PortalAppFactory.SecondInstanceOf(App);
        return second.CreatePortalClient();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disable_refresh_and_delete_refuse_the_very_next_request_and_enable_restores_it(bool twoHosts)
    {
        var reader = ReaderOf(twoHosts);
        var (id, secret) = await CreateTokenAsync(new { name = "Warm" });
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/disable", null, Ct)).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 403, "token_disabled");
        (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/enable", null, Ct)).EnsureSuccessStatusCode();
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        var refreshed = await (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/refresh", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var renewed = refreshed.GetProperty("token").GetString()!;
        // Without a grace window the old secret is forgotten at once.
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 401, "unknown_token");
        await AssertServedAsync(reader, $"/dl/{renewed}/{FilePath}");

        (await Api.DeleteAsync($"/api/v1/repos/{Repo}/entitlements/{id}", Ct)).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{renewed}/{FilePath}", Ct), 401, "unknown_token");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Revoking_the_customer_refuses_the_very_next_request_and_reinstating_restores_it(bool twoHosts)
    {
        var reader = ReaderOf(twoHosts);
        var customer = await (await Api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme Corp" }, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetInt32();
        var (_, secret) = await CreateTokenAsync(new { name = "Customer's", customerId });
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        (await Api.PostAsync($"/api/v1/customers/{customerId}/revoke", null, Ct)).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 403, "customer_revoked");

        (await Api.PostAsync($"/api/v1/customers/{customerId}/reinstate", null, Ct)).EnsureSuccessStatusCode();
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Edited_restrictions_and_limits_apply_from_the_very_next_request(bool twoHosts)
    {
        var reader = ReaderOf(twoHosts);
        var (id, secret) = await CreateTokenAsync(new { name = "Edited" });
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        await PatchTokenAsync(id, new { allowedCidrs = new[] { "203.0.113.0/24" } });
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 403, "ip_not_allowed");
        await PatchTokenAsync(id, new { allowedCidrs = Array.Empty<string>() });
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        await PatchTokenAsync(id, new { limitPackageQuery = "name:other-product" });
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 404, "not_in_query");
        await PatchTokenAsync(id, new { limitPackageQuery = (string?)null });
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        // Three downloads counted so far: the counters are read fresh, never from the cache.
        await PatchTokenAsync(id, new { limitDownloads = 3 });
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 403, "download_limit");
        await PatchTokenAsync(id, new { limitDownloads = 4 });
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 403, "download_limit");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_deleted_file_is_404_from_the_very_next_request_and_its_replacement_is_served(bool twoHosts)
    {
        var reader = ReaderOf(twoHosts);
        var (_, secret) = await CreateTokenAsync(new { name = "Files" });
        var before = await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        var packageId = await App.WithDbAsync(db => db.Set<Package>().Where(p => p.Name == Package && p.Version == Version).Select(p => p.Id).SingleAsync(Ct));
        (await Api.DeleteAsync($"/api/v1/repos/{Repo}/packages/{packageId}", Ct)).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 404, "not_found");

        byte[] replacement = [.. Content.Reverse(), 7];
        await UploadAsync(Repo, Package, Version, Filename, replacement);
        var after = await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(replacement, await after.Content.ReadAsByteArrayAsync(Ct));
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_user_token_follows_its_users_access_the_repository_setting_and_the_account(bool twoHosts)
    {
        var reader = ReaderOf(twoHosts);
        var bob = await MemberAsync("bob@example.com");
        var secret = SecretOf(await UserTokenAsync(bob));
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/repos/{Repo}/privileges/users/{bob.Id}", Ct)).StatusCode);
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 401, "user_lost_access");
        await GrantAsync(Repo, bob.Id, "read");
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        await SetUserTokensAsync(on: false);
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 403, "user_tokens_off");
        await SetUserTokensAsync(on: true);
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/v1/users/{bob.Id}", Ct)).StatusCode);
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 401, "unknown_token");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Repository_visibility_and_deletion_apply_from_the_very_next_request(bool twoHosts)
    {
        var reader = ReaderOf(twoHosts);
        (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = "open", name = "Open", visibility = "public" }, Ct)).EnsureSuccessStatusCode();
        await UploadAsync("open", Package, Version, Filename, Content);
        const string publicPath = $"/dl/public/open/{Package}/{Version}/{Filename}";
        await AssertServedAsync(reader, publicPath);

        (await Api.PatchJsonAsync("/api/v1/repos/open", new { visibility = "private" })).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await reader.GetAsync(publicPath, Ct), 404, "not_found");
        (await Api.PatchJsonAsync("/api/v1/repos/open", new { visibility = "public" })).EnsureSuccessStatusCode();
        await AssertServedAsync(reader, publicPath);

        var (_, secret) = await CreateTokenAsync(new { name = "Repo's" });
        await AssertServedAsync(reader, $"/dl/{secret}/{FilePath}");
        (await Api.DeleteAsync($"/api/v1/repos/{Repo}?deletePackages=true", Ct)).EnsureSuccessStatusCode();
        await AssertRefusedAsync(await reader.GetAsync($"/dl/{secret}/{FilePath}", Ct), 401, "unknown_token");
    }

    private async Task PatchTokenAsync(int id, object patch) =>
        (await Api.PatchJsonAsync($"/api/v1/repos/{Repo}/entitlements/{id}", patch)).EnsureSuccessStatusCode();

    private static async Task<HttpResponseMessage> AssertServedAsync(HttpClient reader, string path)
    {
        var response = await reader.GetAsync(path, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        await response.Content.ReadAsByteArrayAsync(Ct);
        return response;
    }

    public override async ValueTask DisposeAsync()
    {
        if (second is not null)
        {
            await second.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
