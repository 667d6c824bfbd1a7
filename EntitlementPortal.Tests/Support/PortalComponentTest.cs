using System.Security.Claims;
using Bunit;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// bUnit base: MudBlazor services, loose JS interop, and the app's real authorization policies evaluated
/// against a signed-in test user (so a role/policy mistake shows up here too).
/// </summary>
public abstract class PortalComponentTest : BunitContext
{
    private readonly TestAuthenticationStateProvider authentication = new();

    static PortalComponentTest()
    {
        // Pages that call services wait for a real SQLite file; on a busy 2-core machine running the suite in
        // parallel that can take longer than bUnit's default second. A longer bound only changes when a
        // failing wait gives up, never what passes.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }
    private readonly TestDatabase? database;

    /// <param name="withDatabase">Pages that call feature services get them over a real, migrated SQLite file.</param>
    /// <param name="clock">The clock pages and services see (e.g. a FakeTimeProvider whose timers the test fires).</param>
    protected PortalComponentTest(bool withDatabase = false, TimeProvider? clock = null)
    {
        if (withDatabase)
        {
            database = new TestDatabase();
            database.AddTo(Services);
        }
        if (clock is not null)
        {
            Services.AddSingleton(clock);
        }
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddAuthorizationCore(Policies.Configure);
        // bUnit pre-registers placeholders; the real evaluator and policy provider must win.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddCascadingAuthenticationState();
        Services.AddSingleton<AuthenticationStateProvider>(authentication);
        // Pages render on a server circuit in the app; components that check RendererInfo see the same here.
        // (Last: touching the renderer freezes the service collection.)
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected TestDatabase Database => database ?? throw new InvalidOperationException("Pass withDatabase: true to the base constructor.");

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        database?.Dispose();
    }

    /// <summary>
    /// The text the page wrote to the clipboard, waiting for the single write: copying a secret loads it first, so the
    /// write may land after the click returns.
    /// </summary>
    protected string ClipboardText<TComponent>(IRenderedComponent<TComponent> page) where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        page.WaitForAssertion(() => JSInterop.VerifyInvoke("navigator.clipboard.writeText"));
        return (string)JSInterop.VerifyInvoke("navigator.clipboard.writeText").Arguments.Single()!;
    }

    protected void SignIn(string name, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.NameIdentifier, "id-" + name) };
        claims.AddRange(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        authentication.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
    }

    private sealed class TestAuthenticationStateProvider : AuthenticationStateProvider
    {
        public ClaimsPrincipal User { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(User));
    }
}
