using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using EntitlementPortal.Features.Downloads;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Api;

/// <summary>
/// Hostile page numbers on every paged list of the API, each list holding at least one row: a page whose offset
/// would overflow is an empty page (not the first page again, not a 500), a number that is no int is a 400 problem.
/// </summary>
public sealed class PagingTests(PagingTests.SeededApi seeded) : IClassFixture<PagingTests.SeededApi>
{
    public static readonly TheoryData<string> Lists =
    [
        "/api/v1/repos",
        "/api/v1/customers",
        $"/api/v1/repos/{SeededApi.Repo}/entitlements",
        $"/api/v1/repos/{SeededApi.Repo}/packages",
        "/api/v1/downloads",
        "/api/v1/audit",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Overflowing_page_is_an_empty_page_not_500(string list)
    {
        var first = await (await seeded.Api.GetAsync($"{list}?pageSize=500", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEmpty(first.GetProperty("items").EnumerateArray());

        // (2147483647 - 1) * 500 does not fit in an int: it used to wrap to a negative offset.
        var page = await (await seeded.Api.GetAsync($"{list}?page=2147483647&pageSize=500", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Empty(page.GetProperty("items").EnumerateArray());
        Assert.Equal(first.GetProperty("total").GetInt32(), page.GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Page_beyond_the_integer_range_is_400_not_500(string list)
    {
        await (await seeded.Api.GetAsync($"{list}?page=99999999999999", Ct)).AssertProblemAsync(400);
        await (await seeded.Api.GetAsync($"{list}?pageSize=99999999999999", Ct)).AssertProblemAsync(400);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Page_size_over_the_maximum_is_400_keyed_by_page_size(string list)
    {
        var problem = await (await seeded.Api.GetAsync($"{list}?page=2147483647&pageSize=501", Ct)).AssertProblemAsync(400);

        Assert.NotEmpty(problem.ErrorsFor("pageSize"));
    }

    [Theory]
    [InlineData(int.MaxValue, PageRequest.MaxPageSize)]
    [InlineData(int.MaxValue, 1)]
    [InlineData(4_294_968, 500)]
    public void Skip_saturates_instead_of_wrapping(int page, int pageSize)
    {
        var skip = new PageRequest(page, pageSize).Skip;

        Assert.Equal(Math.Min(((long)page - 1) * pageSize, int.MaxValue), skip);
    }

    /// <summary>The API with one row in every list: repository, customer, token, package, download event, audit.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        public const string Repo = "paging";

        public ApiAppFactory App { get; } = new();

        public HttpClient Api { get; private set; } = default!;

        public async ValueTask InitializeAsync()
        {
            Api = App.CreateApiClient();
            (await Api.PostAsJsonAsync("/api/v1/repos", new { slug = Repo, name = "Paging" })).EnsureSuccessStatusCode();
            (await Api.PostAsJsonAsync("/api/v1/customers", new { name = "Acme Corp" })).EnsureSuccessStatusCode();
            (await Api.PostAsJsonAsync($"/api/v1/repos/{Repo}/entitlements", new { name = "Acme CI" })).EnsureSuccessStatusCode();
            var file = new ByteArrayContent("agent"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
            using var form = new MultipartFormDataContent
            {
                { new StringContent("acme-agent"), "name" },
                { new StringContent("1.0.0"), "version" },
                { file, "file", "agent.tar.gz" },
            };
            (await Api.PostAsync($"/api/v1/repos/{Repo}/packages", form)).EnsureSuccessStatusCode();
            // The history is written in the background; a stored row is all a paging test needs.
            await App.WithDbAsync(async db =>
            {
                db.Add(new DownloadEvent { At = DateTime.UtcNow, Repo = Repo, Status = 404, Reason = "no_route" });
                return await db.SaveChangesAsync();
            });
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
