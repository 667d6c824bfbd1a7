using System.Net;
using System.Net.Http.Json;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>
/// Hostile cases of Basic authentication with an account (the "bot user" path): wrong passwords must pause only
/// this route for that name, never lock the portal account, and must not tell which user names exist.
/// </summary>
public sealed class BasicAccountDownloadTests : DownloadTestBase
{
    private const int FailuresBeforePause = 3;
    private const string Bot = "bot@example.com";
    private const string BotPassword = "Us3r-password!";
    private const string WrongPassword = "Wrong-password1!";

    public BasicAccountDownloadTests()
        : base(new() { ["Downloads:FailedPasswordsPerUserName"] = FailuresBeforePause.ToString(System.Globalization.CultureInfo.InvariantCulture) })
    {
        App.TestServices.Add(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<ApplicationUser>>(_ => Hasher));
        });
    }

    private FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    private CountingPasswordHasher Hasher { get; } = new();

    private string BotApiKey { get; set; } = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        BotApiKey = await App.CreateUserWithKeyAsync(Bot, Roles.TokenManager);
        // A bot user downloads by its privilege on the repository, not by its staff role.
        var botId = await App.WithDbAsync(db => db.Users.Where(u => u.Email == Bot).Select(u => u.Id).SingleAsync());
        (await Api.PutAsJsonAsync($"/api/v1/repos/{Repo}/privileges/users/{botId}", new { privilege = "read" }, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Wrong_download_passwords_never_lock_the_portal_account()
    {
        var before = await LockoutStateAsync(Bot);
        // Two rounds of failures up to the pause: more wrong passwords than Identity's lockout allows (5).
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < FailuresBeforePause; i++)
            {
                await AssertReasonAsync(await BasicAsync(Bot, WrongPassword), 401, "bad_password");
            }
            var paused = await BasicAsync(Bot, WrongPassword);
            await AssertReasonAsync(paused, 429, "account_paused");
            Clock.Advance(paused.Headers.RetryAfter!.Delta!.Value);
        }

        Assert.Equal(6, Hasher.Verifications);
        Assert.Equal(new LockoutState(0, null), before);
        Assert.Equal(before, await LockoutStateAsync(Bot));
        Assert.Equal(HttpStatusCode.OK, (await BasicAsync(Bot, BotPassword)).StatusCode);
        await AssertPortalSignInWorksAsync(Bot, BotPassword);
    }

    [Fact]
    public async Task Api_key_and_user_token_keep_working_while_basic_downloads_are_paused()
    {
        var userToken = await AddUserTokenAsync(Bot);
        for (var i = 0; i < FailuresBeforePause; i++)
        {
            await BasicAsync(Bot, WrongPassword);
        }

        var paused = await BasicAsync(Bot, BotPassword);

        await AssertReasonAsync(paused, 429, "account_paused");
        Assert.True(paused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var api = App.CreateApiClient(BotApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/repos", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/{userToken}/{FilePath}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/dl/basic/{FilePath}", Basic("token", userToken))).StatusCode);
        await AssertPortalSignInWorksAsync(Bot, BotPassword);
        Assert.Equal(new LockoutState(0, null), await LockoutStateAsync(Bot));
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_do_the_same_password_work()
    {
        await CreateUserWithoutPasswordAsync("invited@example.com");
        var hashesBefore = Hasher.Hashes;

        var unknown = await CountVerificationsAsync(() => BasicAsync("nobody@example.com", WrongPassword));
        var wrong = await CountVerificationsAsync(() => BasicAsync(Bot, WrongPassword));
        var noPassword = await CountVerificationsAsync(() => BasicAsync("invited@example.com", WrongPassword));
        var right = await CountVerificationsAsync(() => BasicAsync(Bot, BotPassword));

        Assert.Equal([1, 1, 1, 1], new[] { unknown.Verifications, wrong.Verifications, noPassword.Verifications, right.Verifications });
        var unknownProblem = await AssertReasonAsync(unknown.Response, 401, "bad_password");
        var wrongProblem = await AssertReasonAsync(wrong.Response, 401, "bad_password");
        await AssertReasonAsync(noPassword.Response, 401, "bad_password");
        Assert.Equal(unknownProblem.GetProperty("detail").GetString(), wrongProblem.GetProperty("detail").GetString());
        Assert.Equal(unknown.Response.Headers.WwwAuthenticate.ToString(), wrong.Response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, right.Response.StatusCode);
        var again = await CountVerificationsAsync(() => BasicAsync("someone-else@example.com", WrongPassword));
        Assert.Equal(1, again.Verifications);
        // The stand-in hash for unknown users is made once, not per request.
        Assert.Equal(1, Hasher.Hashes - hashesBefore);
    }

    [Fact]
    public async Task Request_after_retry_after_is_evaluated_again()
    {
        for (var i = 0; i < FailuresBeforePause; i++)
        {
            await BasicAsync(Bot, WrongPassword);
        }
        var paused = await BasicAsync(Bot, BotPassword);
        await AssertReasonAsync(paused, 429, "account_paused");
        var wait = paused.Headers.RetryAfter!.Delta!.Value;

        Clock.Advance(wait - TimeSpan.FromSeconds(1));
        var stillPaused = await BasicAsync(Bot, BotPassword);
        await AssertReasonAsync(stillPaused, 429, "account_paused");
        Assert.Equal(TimeSpan.FromSeconds(1), stillPaused.Headers.RetryAfter!.Delta);

        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await BasicAsync(Bot, BotPassword)).StatusCode);
    }

    [Fact]
    public async Task Locked_account_cannot_download_with_basic()
    {
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(Bot))!, DateTimeOffset.MaxValue)).Succeeded);
        }
        var locked = await LockoutStateAsync(Bot);

        var right = await CountVerificationsAsync(() => BasicAsync(Bot, BotPassword));

        await AssertReasonAsync(right.Response, 401, "bad_password");
        Assert.Equal(1, right.Verifications);
        Assert.Equal(locked, await LockoutStateAsync(Bot));
    }

    [Fact]
    public async Task Account_locked_by_portal_sign_in_cannot_download_with_basic()
    {
        using var browser = App.CreatePortalClient();
        for (var i = 0; i < 5; i++)
        {
            await AccountSession.SignInAsync(browser, Bot, WrongPassword);
        }
        var locked = await LockoutStateAsync(Bot);
        Assert.NotNull(locked.LockoutEnd);

        await AssertReasonAsync(await BasicAsync(Bot, BotPassword), 401, "bad_password");
        Assert.Equal(locked, await LockoutStateAsync(Bot));
    }

    [Fact]
    public async Task Pausing_an_unknown_user_name_looks_like_pausing_a_real_one_and_covers_every_spelling()
    {
        for (var i = 0; i < FailuresBeforePause; i++)
        {
            await BasicAsync("nobody@example.com", WrongPassword);
            await BasicAsync(Bot, WrongPassword);
        }

        var unknown = await BasicAsync("nobody@example.com", WrongPassword);
        var real = await BasicAsync(Bot.ToUpperInvariant(), BotPassword);

        var unknownProblem = await AssertReasonAsync(unknown, 429, "account_paused");
        var realProblem = await AssertReasonAsync(real, 429, "account_paused");
        Assert.Equal(unknown.Headers.RetryAfter, real.Headers.RetryAfter);
        Assert.Equal(unknownProblem.GetProperty("detail").GetString(), realProblem.GetProperty("detail").GetString());
        // Another user name is not affected.
        Assert.Equal(HttpStatusCode.OK, (await BasicAsync(ApiAppFactory.AdminEmail, ApiAppFactory.AdminPassword)).StatusCode);
    }

    private Task<HttpResponseMessage> BasicAsync(string user, string password) => GetAsync($"/dl/basic/{FilePath}", Basic(user, password));

    private async Task<(HttpResponseMessage Response, int Verifications)> CountVerificationsAsync(Func<Task<HttpResponseMessage>> request)
    {
        var before = Hasher.Verifications;
        var response = await request();
        return (response, Hasher.Verifications - before);
    }

    private static async Task<System.Text.Json.JsonElement> AssertReasonAsync(HttpResponseMessage response, int status, string reason)
    {
        var problem = await response.AssertProblemAsync(status);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        return problem;
    }

    private async Task AssertPortalSignInWorksAsync(string email, string password)
    {
        using var browser = App.CreatePortalClient();
        await AccountSession.SignInAsync(browser, email, password);
        // Signed in or not, whether the client followed the redirect or not: the dashboard names the signed-in user.
        Assert.Contains($"Signed in as <b>{email}</b>", await browser.GetStringAsync("/", Ct));
    }

    private sealed record LockoutState(int AccessFailedCount, DateTimeOffset? LockoutEnd);

    private Task<LockoutState> LockoutStateAsync(string email) => App.WithDbAsync(db => db.Users
        .Where(u => u.NormalizedEmail == email.ToUpperInvariant())
        .Select(u => new LockoutState(u.AccessFailedCount, u.LockoutEnd)).SingleAsync());

    private async Task CreateUserWithoutPasswordAsync(string email)
    {
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        await users.AddToRoleAsync(user, Roles.TokenManager);
    }

    /// <summary>User tokens are made for members automatically; here one is stored directly, as UserTokenService would.</summary>
    private async Task<string> AddUserTokenAsync(string email)
    {
        var protector = App.Services.GetRequiredService<TokenSecretProtector>();
        var secret = TokenSecret.Generate();
        await App.WithDbAsync(async db =>
        {
            var userId = await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => u.Id).SingleAsync();
            var repositoryId = await db.Set<Repository>().Where(r => r.Slug == Repo).Select(r => r.Id).SingleAsync();
            db.Add(new EntitlementToken
            {
                RepositoryId = repositoryId, Kind = TokenKind.User, UserId = userId, Name = email,
                SecretDigest = protector.Digest(secret), SecretCiphertext = protector.Protect(secret), SecretHint = TokenSecret.Mask(secret),
            });
            return await db.SaveChangesAsync();
        });
        return secret;
    }
}

/// <summary>The app's password hasher, counting its work, so tests can assert it structurally instead of timing it.</summary>
internal sealed class CountingPasswordHasher : IPasswordHasher<ApplicationUser>
{
    private readonly PasswordHasher<ApplicationUser> inner =
        new(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = FastPasswordHashing.Iterations }));
    private int verifications;
    private int hashes;

    public int Verifications => Volatile.Read(ref verifications);

    public int Hashes => Volatile.Read(ref hashes);

    public string HashPassword(ApplicationUser user, string password)
    {
        Interlocked.Increment(ref hashes);
        return inner.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verifications);
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
