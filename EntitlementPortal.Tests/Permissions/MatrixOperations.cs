using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Features.Analytics;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Features.Webhooks;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Features.Tokens.UserTokens;
using EntitlementPortal.Features.Users;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Permissions;

/// <summary>
/// One operation of the matrix, twice: through its service (true when the outcome was the allowed one) and through
/// its HTTP route. <see cref="AllowedOverApi"/> judges an HTTP answer for rows where a 200 alone is not the answer.
/// An operation without a service caller (downloads decide without an actor) or without a route (a portal-only
/// view) runs the half it has.
/// </summary>
public sealed record MatrixOperation(
    string Name,
    bool Changes,
    Func<MatrixWorld, MatrixTarget, Actor, Task<bool>>? Service,
    Func<HttpClient, MatrixTarget, MatrixWorld, Caller, Task<HttpResponseMessage>>? Api,
    Func<HttpResponseMessage, Task<bool>>? AllowedOverApi = null);

public static class MatrixOperations
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static IReadOnlyList<MatrixOperation> All { get; } =
    [
        Reads("See a private repository",
            (w, t, a) => w.Service<RepositoryService>().GetAsync(a, t.Repo, Ct),
            (c, t, _, _) => c.GetAsync($"/api/v1/repos/{t.Repo}", Ct)),
        Changes("Create a repository",
            (w, t, a) => w.Service<RepositoryService>().CreateAsync(a, new RepositoryInput { Slug = $"made-{t.Number}", Name = "Made" }, Ct),
            (c, t, _, _) => c.PostAsJsonAsync("/api/v1/repos", new { slug = $"made-{t.Number}", name = "Made", visibility = "private" }, Ct)),
        Changes("Edit a repository",
            (w, t, a) => w.Service<RepositoryService>().UpdateAsync(a, t.Repo,
                new RepositoryInput { Slug = t.Repo, Name = $"Matrix {t.Number}", Description = "Changed" }, Ct),
            (c, t, _, _) => c.PatchJsonAsync($"/api/v1/repos/{t.Repo}", new { description = "Changed" })),
        Changes("Delete a repository",
            (w, t, a) => w.Service<RepositoryService>().DeleteAsync(a, t.Repo, deletePackages: true, Ct),
            (c, t, _, _) => c.DeleteAsync($"/api/v1/repos/{t.Repo}?deletePackages=true", Ct)),
        Reads("See its members",
            (w, t, a) => w.Service<RepositoryPrivilegeService>().ListAsync(a, t.Repo, new PageRequest(), Ct),
            (c, t, _, _) => c.GetAsync($"/api/v1/repos/{t.Repo}/privileges", Ct)),
        Changes("Grant a privilege",
            (w, t, a) => w.Service<RepositoryPrivilegeService>().SetUserPrivilegeAsync(a, t.Repo, w.People[Caller.NoAccess].UserId,
                PrivilegeInput.For(RepositoryPrivilege.Read), Ct),
            (c, t, w, _) => c.PutAsJsonAsync($"/api/v1/repos/{t.Repo}/privileges/users/{w.People[Caller.NoAccess].UserId}", new { privilege = "read" }, Ct)),
        Reads("List packages",
            (w, t, a) => w.Service<PackageQueries>().ListAsync(a, t.Repo, new PageRequest(), cancellationToken: Ct),
            (c, t, _, _) => c.GetAsync($"/api/v1/repos/{t.Repo}/packages", Ct)),
        Changes("Upload a new package",
            (w, t, a) => UploadAsync(w, t, a, "gadget", "gadget.bin"),
            (c, t, _, _) => c.PostAsync($"/api/v1/repos/{t.Repo}/packages", Form("gadget", "gadget.bin"), Ct)),
        Changes("Add a file to the owner's package",
            (w, t, a) => UploadAsync(w, t, a, "widget", "extra.bin"),
            (c, t, _, _) => c.PostAsync($"/api/v1/repos/{t.Repo}/packages", Form("widget", "extra.bin"), Ct)),
        Changes("Delete the owner's package",
            (w, t, a) => w.Service<PackageRemoval>().DeleteAsync(a, t.Repo, t.PackageId, Ct),
            (c, t, _, _) => c.DeleteAsync($"/api/v1/repos/{t.Repo}/packages/{t.PackageId}", Ct)),
        Reads("List standard tokens",
            (w, t, a) => w.Service<TokenQueries>().ListAsync(a, new TokenFilter(t.Repo), new PageRequest(), Ct),
            (c, t, _, _) => c.GetAsync($"/api/v1/repos/{t.Repo}/entitlements", Ct)),
        new("See a standard token's secret", Changes: false,
            async (w, t, a) => (await w.Service<TokenQueries>().GetAsync(a, t.Repo, t.TokenId, Ct)).Token is not null,
            (c, t, _, _) => c.GetAsync($"/api/v1/repos/{t.Repo}/entitlements/{t.TokenId}", Ct),
            async response => response.IsSuccessStatusCode
                && (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("token", out var secret)
                && secret.ValueKind == JsonValueKind.String),
        Changes("Create a standard token",
            (w, t, a) => w.Service<TokenEditor>().CreateAsync(a, t.Repo, new TokenInput { Name = "Another" }, Ct),
            (c, t, _, _) => c.PostAsJsonAsync($"/api/v1/repos/{t.Repo}/entitlements", new { name = "Another" }, Ct)),
        Changes("Edit a standard token",
            (w, t, a) => w.Service<TokenEditor>().UpdateAsync(a, t.Repo, t.TokenId, new TokenInput { Name = "Renamed" }, Ct),
            (c, t, _, _) => c.PatchJsonAsync($"/api/v1/repos/{t.Repo}/entitlements/{t.TokenId}", new { name = "Renamed" })),
        Changes("Disable a standard token",
            (w, t, a) => w.Service<TokenLifecycle>().DisableAsync(a, t.Repo, t.TokenId, Ct),
            (c, t, _, _) => c.PostAsync($"/api/v1/repos/{t.Repo}/entitlements/{t.TokenId}/disable", null, Ct)),
        Changes("Refresh a standard token",
            (w, t, a) => w.Service<TokenLifecycle>().RefreshAsync(a, t.Repo, t.TokenId, cancellationToken: Ct),
            (c, t, _, _) => c.PostAsync($"/api/v1/repos/{t.Repo}/entitlements/{t.TokenId}/refresh", null, Ct)),
        Changes("Delete a standard token",
            (w, t, a) => w.Service<TokenLifecycle>().DeleteAsync(a, t.Repo, t.TokenId, Ct),
            (c, t, _, _) => c.DeleteAsync($"/api/v1/repos/{t.Repo}/entitlements/{t.TokenId}", Ct)),
        Reads("List customers",
            (w, _, a) => w.Service<CustomerService>().ListAsync(a, new PageRequest(), cancellationToken: Ct),
            (c, _, _, _) => c.GetAsync("/api/v1/customers", Ct)),
        Changes("Create a customer",
            (w, t, a) => w.Service<CustomerService>().CreateAsync(a, new CustomerInput { Name = $"New customer {t.Number}" }, Ct),
            (c, t, _, _) => c.PostAsJsonAsync("/api/v1/customers", new { name = $"New customer {t.Number}" }, Ct)),
        Changes("Edit a customer",
            (w, t, a) => w.Service<CustomerService>().UpdateAsync(a, t.CustomerId, new CustomerInput { Name = $"Customer {t.Number}", Notes = "Changed" }, Ct),
            (c, t, _, _) => c.PatchJsonAsync($"/api/v1/customers/{t.CustomerId}", new { notes = "Changed" })),
        Changes("Revoke a customer",
            (w, t, a) => w.Service<CustomerService>().RevokeAsync(a, t.CustomerId, Ct),
            (c, t, _, _) => c.PostAsync($"/api/v1/customers/{t.CustomerId}/revoke", null, Ct)),
        Changes("Delete a customer",
            (w, t, a) => w.Service<CustomerService>().DeleteAsync(a, t.CustomerId, Ct),
            (c, t, _, _) => c.DeleteAsync($"/api/v1/customers/{t.CustomerId}", Ct)),
        Reads("Read the download history",
            (w, _, a) => w.Service<DownloadHistoryService>().ListAsync(a, new DownloadQuery(), new PageRequest(), Ct),
            (c, _, _, _) => c.GetAsync("/api/v1/downloads", Ct)),
        Reads("Export the download history",
            async (w, _, a) => await w.Service<DownloadHistoryService>().ExportAsync(a, new DownloadQuery(), Ct),
            (c, _, _, _) => c.GetAsync("/api/v1/downloads/export", Ct)),
        Reads("See a repository's metrics",
            (w, t, a) => w.Service<RepositoryMetricsService>().GetAsync(a, t.Repo, new AnalyticsPeriod(), cancellationToken: Ct),
            (c, t, _, _) => c.GetAsync($"/api/v1/repos/{t.Repo}/metrics", Ct)),
        Reads("See a customer's usage",
            (w, t, a) => w.Service<CustomerUsageService>().GetAsync(a, t.CustomerId, new AnalyticsPeriod(), Ct),
            (c, t, _, _) => c.GetAsync($"/api/v1/customers/{t.CustomerId}/usage", Ct)),
        Reads("Read the audit log",
            (w, _, a) => w.Service<AuditService>().ListAsync(a, new AuditQuery(), new PageRequest(), Ct),
            (c, _, _, _) => c.GetAsync("/api/v1/audit", Ct)),
        Reads("List users",
            (w, _, a) => w.Service<UserDirectory>().ListAsync(a, new PageRequest(), cancellationToken: Ct),
            (c, _, _, _) => c.GetAsync("/api/v1/users", Ct)),
        Changes("Create a team",
            (w, t, a) => w.Service<TeamService>().CreateAsync(a, new TeamInput { Slug = $"team-{t.Number}", Name = "Team" }, Ct),
            (c, t, _, _) => c.PostAsJsonAsync("/api/v1/teams", new { slug = $"team-{t.Number}", name = "Team" }, Ct)),
        Reads("List webhooks",
            (w, _, a) => w.Service<WebhookSubscriptions>().ListAsync(a, new PageRequest(), Ct),
            (c, _, _, _) => c.GetAsync("/api/v1/webhooks", Ct)),
        Changes("Create a webhook",
            (w, t, a) => w.Service<WebhookSubscriptions>().CreateAsync(a, new WebhookInput
                { Url = $"https://93.184.216.34/hooks/{t.Number}", Events = ["token.created"], Secret = "matrix-secret-0123456789" }, Ct),
            (c, t, _, _) => c.PostAsJsonAsync("/api/v1/webhooks",
                new { url = $"https://93.184.216.34/hooks/{t.Number}", events = new[] { "token.created" }, secret = "matrix-secret-0123456789" }, Ct)),
        Changes("Get one's own user token",
            (w, t, a) => w.Service<UserTokenService>().GetOrCreateAsync(a, t.Repo, Ct),
            (c, t, _, _) => c.GetAsync($"/api/v1/repos/{t.Repo}/user-token", Ct)),
        Changes("Refresh one's own user token",
            (w, t, a) => w.Service<UserTokenService>().RefreshAsync(a, t.Repo, Ct),
            (c, t, _, _) => c.PostAsync($"/api/v1/repos/{t.Repo}/user-token/refresh", null, Ct)),
        new("See members' user tokens", Changes: false,
            async (w, t, a) => { await w.Service<UserTokenService>().ListForRepositoryAsync(a, t.Repo, Ct); return true; },
            Api: null),
        new("Download with Basic username and password", Changes: false, Service: null,
            (c, t, w, caller) => BasicDownloadAsync(c, t, w, caller)),
    ];

    public static MatrixOperation Find(string name) => All.Single(o => o.Name == name);

    private static MatrixOperation Reads<T>(string name, Func<MatrixWorld, MatrixTarget, Actor, Task<T>> service,
        Func<HttpClient, MatrixTarget, MatrixWorld, Caller, Task<HttpResponseMessage>> api) =>
        new(name, Changes: false, async (w, t, a) => { await service(w, t, a); return true; }, api);

    private static MatrixOperation Changes<T>(string name, Func<MatrixWorld, MatrixTarget, Actor, Task<T>> service,
        Func<HttpClient, MatrixTarget, MatrixWorld, Caller, Task<HttpResponseMessage>> api) =>
        new(name, Changes: true, async (w, t, a) => { await service(w, t, a); return true; }, api);

    private static MatrixOperation Changes(string name, Func<MatrixWorld, MatrixTarget, Actor, Task> service,
        Func<HttpClient, MatrixTarget, MatrixWorld, Caller, Task<HttpResponseMessage>> api) =>
        new(name, Changes: true, async (w, t, a) => { await service(w, t, a); return true; }, api);

    private static async Task<PackageView> UploadAsync(MatrixWorld world, MatrixTarget target, Actor actor, string name, string filename)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes($"{name} {filename} {target.Number}"));
        return await world.Service<PackageUploads>().UploadAsync(actor, target.Repo, name, "1.0", null, filename, content, cancellationToken: Ct);
    }

    /// <summary>The write owner's file over the Basic route, with the caller's own e-mail and password (none when anonymous).</summary>
    private static Task<HttpResponseMessage> BasicDownloadAsync(HttpClient client, MatrixTarget target, MatrixWorld world, Caller caller)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/dl/basic/{target.Repo}/widget/1.0/widget.bin");
        request.Headers.Remove("X-Api-Key");
        if (caller != Caller.Anonymous)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{world.People[caller].Email}:{MatrixPeople.Password}"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", credentials);
        }
        return client.SendAsync(request, Ct);
    }

    private static MultipartFormDataContent Form(string name, string filename) => new()
    {
        { new StringContent(name), "name" },
        { new StringContent("1.0"), "version" },
        { new ByteArrayContent(Encoding.UTF8.GetBytes($"{name} {filename}")), "file", filename },
    };
}
