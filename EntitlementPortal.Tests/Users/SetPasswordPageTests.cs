using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Users;

/// <summary>The static page a set-password link opens, over real HTTP with antiforgery.</summary>
public sealed partial class SetPasswordPageTests : IAsyncDisposable
{
    private const string Chosen = "Ch0sen-password!";
    private readonly ApiAppFactory app = new();
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    public SetPasswordPageTests() => app.TestServices.Add(services => services.AddSingleton<TimeProvider>(clock));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_link_sets_the_password_once_then_the_person_signs_in_and_a_second_use_is_refused_clearly()
    {
        var link = await NewUserLinkAsync("first@example.com");
        using var browser = app.CreatePortalClient();

        var form = await browser.GetStringAsync(link, Ct);
        Assert.Contains("first@example.com", form, StringComparison.Ordinal);
        var set = await SubmitAsync(browser, link, Chosen);
        Assert.Contains("id=\"password-set\"", set, StringComparison.Ordinal);

        var again = await browser.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("id=\"link-refused\"", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await AccountSession.SignInAsync(browser, "first@example.com", Chosen);
        Assert.Contains("Dashboard", await browser.GetStringAsync("/", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_posted_with_a_link_that_was_used_meanwhile_is_refused_and_changes_nothing()
    {
        var link = await NewUserLinkAsync("race@example.com");
        using var first = app.CreatePortalClient();
        using var second = app.CreatePortalClient();
        var secondForm = await second.GetStringAsync(link, Ct);
        Assert.Contains("race@example.com", secondForm, StringComparison.Ordinal);

        Assert.Contains("id=\"password-set\"", await SubmitAsync(first, link, Chosen), StringComparison.Ordinal);
        // The second person posts the form they loaded before the link was spent.
        var fields = HiddenInput().Matches(secondForm).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["Input.Password"] = fields["Input.ConfirmPassword"] = "Sec0nd-password!";
        var late = await (await second.PostAsync(link, new FormUrlEncodedContent(fields), Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains("id=\"link-refused\"", late, StringComparison.Ordinal);
        await AccountSession.SignInAsync(second, "race@example.com", "Sec0nd-password!");
        Assert.DoesNotContain("Dashboard", await (await second.GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_link_gets_a_clear_message_not_a_form()
    {
        var link = await NewUserLinkAsync("late@example.com");
        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        using var browser = app.CreatePortalClient();

        var response = await browser.GetAsync(link, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"link-refused\"", page, StringComparison.Ordinal);
        Assert.Contains("expired", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Password", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Account/SetPassword")]
    [InlineData("/Account/SetPassword?userId=nobody&code=abc")]
    [InlineData("/Account/SetPassword?userId=nobody&code=%%%")]
    public async Task A_broken_link_gets_the_same_clear_message(string path)
    {
        using var browser = app.CreatePortalClient();

        var response = await browser.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"link-refused\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_Identity_refuses_is_explained_and_the_link_still_works()
    {
        var link = await NewUserLinkAsync("weak@example.com");
        using var browser = app.CreatePortalClient();

        var weak = await SubmitAsync(browser, link, "short");
        Assert.Contains("at least 8", weak, StringComparison.Ordinal);

        Assert.Contains("id=\"password-set\"", await SubmitAsync(browser, link, Chosen), StringComparison.Ordinal);
    }

    private async Task<string> NewUserLinkAsync(string email)
    {
        using var api = app.CreateApiClient();
        var created = await (await api.PostAsJsonAsync("/api/v1/users", new { email, roles = new[] { "TokenManager" } }, Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        return new Uri(created.GetProperty("setPasswordUrl").GetString()!).PathAndQuery;
    }

    private static async Task<string> SubmitAsync(HttpClient browser, string link, string password)
    {
        var response = await AccountSession.SubmitFormAsync(browser, link, new Dictionary<string, string>
        {
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [System.Text.RegularExpressions.GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>""")]
    private static partial System.Text.RegularExpressions.Regex HiddenInput();

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
