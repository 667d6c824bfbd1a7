using System.Net;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Identity;

/// <summary>
/// Crafted return URLs on the real sign-in, two-factor, registration and sign-out routes over real HTTP: the browser
/// is always sent to a path of the portal (or gets a 4xx), never to another site, and never sees a 500.
/// </summary>
public sealed class ReturnUrlTests(ReturnUrlTests.Portal portal) : IClassFixture<ReturnUrlTests.Portal>
{
    public static readonly TheoryData<string> ForeignReturnUrls =
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "https:evil.example",
        "/\t/evil.example",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(ForeignReturnUrls))]
    public async Task Login_with_a_foreign_return_url_redirects_locally(string returnUrl)
    {
        var client = portal.App.CreatePortalClient();

        var response = await SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword, returnUrl);

        AssertRedirectsTo("/", response);
    }

    [Fact]
    public async Task Login_with_protocol_relative_return_url_redirects_locally()
    {
        var client = portal.App.CreatePortalClient();

        var response = await SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword, "//evil.example/");

        AssertRedirectsTo("/", response);
        // Signed in all the same: the crafted link cost the user nothing but the detour.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task Login_with_a_local_return_url_goes_there()
    {
        var client = portal.App.CreatePortalClient();

        var response = await SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword, "/customers?search=acme%20corp");

        AssertRedirectsTo("/customers?search=acme%20corp", response);
    }

    [Fact]
    public async Task Login_with_this_sites_absolute_url_goes_to_its_path()
    {
        // What the sign-in redirect of a protected page sends.
        var client = portal.App.CreatePortalClient();

        var response = await SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword,
            new Uri(portal.App.RootUri, "/repositories").AbsoluteUri);

        AssertRedirectsTo("/repositories", response);
    }

    [Theory]
    [MemberData(nameof(ForeignReturnUrls))]
    public async Task Two_factor_sign_in_with_a_foreign_return_url_redirects_locally(string returnUrl)
    {
        var client = portal.App.CreatePortalClient();
        var password = await SignInAsync(client, Portal.TwoFactorEmail, Portal.TwoFactorPassword, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        // The password step hands the return URL on to the second step inside its own (local) redirect.
        var secondStep = new Uri(portal.App.RootUri, password.Headers.Location!);
        Assert.Equal("/Account/LoginWith2fa", secondStep.AbsolutePath);

        var response = await AccountSession.SubmitFormAsync(client,
            $"/Account/LoginWithRecoveryCode?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            new Dictionary<string, string> { ["Input.RecoveryCode"] = portal.NextRecoveryCode() });

        AssertRedirectsTo("/", response);
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWith2fa?rememberMe=definitely&returnUrl=%2F%2Fevil.example")]
    [InlineData("/Account/LoginWithRecoveryCode?ReturnUrl=https%3A%2F%2Fevil.example")]
    public async Task Two_factor_pages_without_a_pending_sign_in_redirect_to_sign_in_not_500(string path)
    {
        var client = portal.App.CreatePortalClient();

        var response = await client.GetAsync(path, Ct);

        AssertRedirectsTo("/Account/Login", response);
    }

    [Theory]
    [MemberData(nameof(ForeignReturnUrls))]
    public async Task Logout_with_a_foreign_return_url_redirects_locally(string returnUrl)
    {
        var client = portal.App.CreatePortalClient();
        await SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword, returnUrl: null);

        var response = await SignOutAsync(client, returnUrl);

        AssertRedirectsTo("/", response);
    }

    [Fact]
    public async Task Logout_with_protocol_relative_return_url_redirects_locally_and_signs_out()
    {
        var client = portal.App.CreatePortalClient();
        await SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword, returnUrl: null);

        var response = await SignOutAsync(client, "//evil.example/");

        AssertRedirectsTo("/", response);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task Logout_with_the_current_page_as_return_url_goes_back_there()
    {
        // What the sign-out button sends: the page's base-relative address.
        var client = portal.App.CreatePortalClient();
        await SignInAsync(client, ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword, returnUrl: null);

        var response = await SignOutAsync(client, "repositories?search=acme");

        AssertRedirectsTo("/repositories?search=acme", response);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/%5Cevil.example")]
    public async Task Register_with_a_foreign_return_url_redirects_locally(string returnUrl)
    {
        await using var fresh = new KestrelPortalFactory();
        var client = fresh.CreatePortalClient();

        var response = await AccountSession.SubmitFormAsync(client, $"/Account/Register?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            new Dictionary<string, string>
            {
                ["Input.Email"] = "founder@example.com",
                ["Input.Password"] = "F0under-secret!",
                ["Input.ConfirmPassword"] = "F0under-secret!",
            });

        AssertRedirectsTo(fresh.RootUri, "/", response);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? returnUrl) =>
        AccountSession.SubmitFormAsync(client,
            returnUrl is null ? "/Account/Login" : $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    private static Task<HttpResponseMessage> SignOutAsync(HttpClient client, string returnUrl) =>
        AccountSession.SubmitFormAsync(client, "/", new Dictionary<string, string> { ["ReturnUrl"] = returnUrl }, "/Account/Logout");

    /// <summary>A redirect whose target, as a browser resolves it, is <paramref name="pathAndQuery"/> on the portal.</summary>
    private void AssertRedirectsTo(string pathAndQuery, HttpResponseMessage response) =>
        AssertRedirectsTo(portal.App.RootUri, pathAndQuery, response);

    private static void AssertRedirectsTo(Uri site, string pathAndQuery, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Expected a redirect, got {(int)response.StatusCode}");
        var location = response.Headers.Location!;
        // Browsers read a backslash as a slash; the raw header must not need that charity.
        Assert.DoesNotContain('\\', location.OriginalString);
        var target = new Uri(site, location);
        Assert.Equal(site.GetLeftPart(UriPartial.Authority), target.GetLeftPart(UriPartial.Authority));
        Assert.Equal(pathAndQuery, target.PathAndQuery);
    }

    /// <summary>The app with its bootstrap administrator and a second account that signs in with two factors.</summary>
    public sealed class Portal : IAsyncLifetime
    {
        public const string TwoFactorEmail = "two-factor@example.com";
        public const string TwoFactorPassword = "Tw0-factor-secret!";

        private readonly Queue<string> recoveryCodes = new();

        public ApiAppFactory App { get; } = new();

        public async ValueTask InitializeAsync()
        {
            using var scope = App.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = TwoFactorEmail, Email = TwoFactorEmail, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, TwoFactorPassword)).Succeeded);
            await users.AddToRoleAsync(user, Roles.Administrator);
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            foreach (var code in (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 20))!)
            {
                recoveryCodes.Enqueue(code);
            }
        }

        /// <summary>Each recovery code signs in once.</summary>
        public string NextRecoveryCode()
        {
            lock (recoveryCodes)
            {
                return recoveryCodes.Dequeue();
            }
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
