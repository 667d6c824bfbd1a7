using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Tests.Downloads;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.CustomerPage;

/// <summary>The token terms of http-contract.md: the EULA a token waits for, and the perpetual fallback after expiry.</summary>
public sealed class TokenTermsTests : DownloadTestBase
{
    private const string Eula = "You may install this software on machines your company owns.\nNo redistribution.";

    private async Task AddEulaAsync() =>
        (await Api.PatchJsonAsync($"/api/v1/repos/{Repo}", new { eula = Eula })).EnsureSuccessStatusCode();

    [Fact]
    public async Task A_token_that_requires_the_eula_lists_but_refuses_files_until_accepted_and_the_acceptance_is_stored_audited_and_kept()
    {
        await AddEulaAsync();
        var (id, token) = await CreateTokenAsync(new { name = "Acme", eulaRequired = true });

        var refused = await (await GetAsync($"/dl/{token}/{FilePath}")).ReadJsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("eula_not_accepted", refused.GetProperty("reason").GetString());
        Assert.Contains($"/dl/<token>/<repo>/", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await GetAsync($"/dl/{token}/{Repo}/")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKindNull, (await TokenAsync(id)).GetProperty("eulaAcceptedAt").ValueKind);

        var accepted = await Anonymous.PostAsync($"/dl/{token}/{Repo}/eula", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);

        var download = await GetAsync($"/dl/{token}/{FilePath}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var view = await TokenAsync(id);
        var acceptedAt = view.GetProperty("eulaAcceptedAt").GetDateTime();
        Assert.Equal("127.0.0.1", view.GetProperty("eulaAcceptedFrom").GetString());
        Assert.True(view.GetProperty("eulaRequired").GetBoolean());

        // Accepting again keeps the first acceptance; a refreshed secret keeps it too.
        Assert.Equal(HttpStatusCode.NoContent, (await Anonymous.PostAsync($"/dl/{token}/{Repo}/eula", null, Ct)).StatusCode);
        var refreshed = await (await Api.PostAsync($"/api/v1/repos/{Repo}/entitlements/{id}/refresh", null, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(acceptedAt, refreshed.GetProperty("eulaAcceptedAt").GetDateTime());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{refreshed.GetProperty("token").GetString()}/{FilePath}")).StatusCode);

        var audited = await App.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Action == AuditActions.AcceptEula && a.EntityId == id.ToString()).ToListAsync(Ct));
        Assert.Equal("127.0.0.1", Assert.Single(audited).ClientIp);
    }

    [Fact]
    public async Task Simultaneous_first_acceptances_store_and_audit_exactly_one()
    {
        await AddEulaAsync();
        var (id, token) = await CreateTokenAsync(new { name = "Acme", eulaRequired = true });

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Anonymous.PostAsync($"/dl/{token}/{Repo}/eula", null, Ct)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.StatusCode));
        var audited = await App.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking()
            .CountAsync(a => a.Action == AuditActions.AcceptEula && a.EntityId == id.ToString(), Ct));
        Assert.Equal(1, audited);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{token}/{FilePath}")).StatusCode);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task The_page_shows_the_agreement_with_a_plain_form_that_accepts_and_comes_back_to_the_page()
    {
        await AddEulaAsync();
        var (_, token) = await CreateTokenAsync(new { name = "Acme", eulaRequired = true });
        Action<HttpRequestMessage> browser = r => r.Headers.TryAddWithoutValidation("Accept", "text/html,*/*;q=0.8");

        var before = await (await GetAsync($"/dl/{token}/{Repo}/", browser)).Content.ReadAsStringAsync(Ct);
        Assert.Contains(WebUtility.HtmlEncode("No redistribution."), before, StringComparison.Ordinal);
        Assert.Contains($"<form method=\"post\" action=\"/dl/{token}/{Repo}/eula\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/dl/{token}/{FilePath}\"", before, StringComparison.Ordinal);

        var post = new HttpRequestMessage(HttpMethod.Post, $"/dl/{token}/{Repo}/eula") { Content = new FormUrlEncodedContent([]) };
        browser(post);
        var answer = await Anonymous.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        Assert.Equal($"/dl/{token}/{Repo}/", answer.Headers.Location!.OriginalString);

        var after = await (await GetAsync($"/dl/{token}/{Repo}/", browser)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"eula-accepted\"", after, StringComparison.Ordinal);
        Assert.Contains($"href=\"/dl/{token}/{FilePath}\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_for_a_token_that_does_not_require_it_is_409_an_unknown_token_401_and_requiring_a_missing_eula_400()
    {
        var (_, plain) = await CreateTokenAsync(new { name = "Plain" });

        var conflict = await (await Anonymous.PostAsync($"/dl/{plain}/{Repo}/eula", null, Ct)).ReadJsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("eula_not_required", conflict.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous.PostAsync($"/dl/ep_no_such_token/{Repo}/eula", null, Ct)).StatusCode);

        var invalid = await (await Api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", new { name = "Needs", eulaRequired = true }, Ct))
            .ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no licence agreement", invalid.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_expiry_a_fallback_token_serves_and_lists_exactly_the_versions_released_before_it_and_a_refusing_one_nothing()
    {
        await UploadAsync(Repo, Package, "3.0.0", "acme-agent-3.0.0.tar.gz", [7, 7, 7]);
        // The bought version was released in 2023; 3.0.0 (just uploaded) after the licence ended.
        await App.WithDbAsync(async db =>
        {
            var old = await db.Set<Package>().SingleAsync(p => p.Version == Version, Ct);
            old.UploadedAt = new DateTime(2023, 5, 1, 0, 0, 0, DateTimeKind.Utc);
            return await db.SaveChangesAsync(Ct);
        });
        var (_, fallback) = await CreateTokenAsync(new { name = "Perpetual", limitDateTo = "2024-01-01T00:00:00Z", afterExpiry = "fallback" });
        var (_, refusing) = await CreateTokenAsync(new { name = "Ended", limitDateTo = "2024-01-01T00:00:00Z" });

        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{fallback}/{FilePath}")).StatusCode);
        var newer = await (await GetAsync($"/dl/{fallback}/{Repo}/{Package}/3.0.0/acme-agent-3.0.0.tar.gz")).ReadJsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("expired", newer.GetProperty("reason").GetString());
        var index = await (await GetAsync($"/dl/{fallback}/{Repo}/")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([Version], index.EnumerateArray().Select(f => f.GetProperty("version").GetString()));

        Assert.Equal("expired", (await (await GetAsync($"/dl/{refusing}/{FilePath}")).ReadJsonAsync(HttpStatusCode.Forbidden)).GetProperty("reason").GetString());
        await (await GetAsync($"/dl/{refusing}/{Repo}/")).ReadJsonAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_after_expiry_values_are_refused_and_nothing_is_stored()
    {
        var response = await Api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", new { name = "Odd", afterExpiry = "forever" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var tokens = await (await Api.GetAsync($"/api/v1/repos/{Repo}/entitlements", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("Odd", tokens.GetRawText(), StringComparison.Ordinal);
    }
}
