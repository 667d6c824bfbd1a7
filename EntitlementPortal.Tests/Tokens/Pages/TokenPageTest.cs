using AngleSharp.Dom;
using Bunit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>
/// Token pages over the real services and database: private repositories 'acme' and 'globex', a public 'open',
/// and a customer 'Acme Corp'.
/// </summary>
public abstract class TokenPageTest : PortalComponentTest, IAsyncLifetime
{
    /// <param name="maxActiveTokens">The plan allowance (Plan:MaxActiveTokens); 0 is unlimited.</param>
    /// <param name="clock">The clock of the pages and services; the system clock when null.</param>
    protected TokenPageTest(int maxActiveTokens = 0, TimeProvider? clock = null) : base(withDatabase: true, clock)
    {
        // The base registers its database before building the container, so the plan setting goes into the
        // configuration that database registered; reloading it makes the options see the new value.
        var configuration = (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();
        configuration[$"{PlanOptions.Section}:{nameof(PlanOptions.MaxActiveTokens)}"] = maxActiveTokens.ToString(System.Globalization.CultureInfo.InvariantCulture);
        configuration.Reload();
    }

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    protected TokenQueries TokenQueries => Services.GetRequiredService<TokenQueries>();
    protected TokenEditor TokenEditor => Services.GetRequiredService<TokenEditor>();
    protected TokenLifecycle TokenLifecycle => Services.GetRequiredService<TokenLifecycle>();
    protected TokenSync TokenSync => Services.GetRequiredService<TokenSync>();
    protected TokenUsageResets TokenResets => Services.GetRequiredService<TokenUsageResets>();

    protected int CustomerId { get; private set; }

    /// <summary>Where open menus and select lists render; set by <see cref="RenderDialogHost"/>.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        var repositories = Services.GetRequiredService<RepositoryService>();
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "acme", Name = "Acme builds" }, Ct);
        await repositories.CreateAsync(TestDatabase.Administrator, new RepositoryInput { Slug = "globex", Name = "Globex builds" }, Ct);
        await repositories.CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = "open", Name = "Open builds", Visibility = RepositoryVisibility.Public }, Ct);
        CustomerId = (await Services.GetRequiredService<CustomerService>()
            .CreateAsync(TestDatabase.Administrator, new CustomerInput { Name = "Acme Corp" }, Ct)).Id;
    }

    protected Task<TokenView> SeedAsync(string name, string repo = "acme", string? secret = null, bool active = true,
        int? customerId = null, Action<TokenInput>? restrict = null)
    {
        var input = new TokenInput { Name = name, Token = secret, IsActive = active, CustomerId = customerId };
        restrict?.Invoke(input);
        return TokenEditor.CreateAsync(TestDatabase.Administrator, repo, input, Ct);
    }

    /// <summary>Usage as downloads would leave it; downloads are not served yet, so it is written directly.</summary>
    protected async Task RecordUsageAsync(int tokenId, long downloads, int clients, long bytes, DateTime lastAt, string lastIp)
    {
        await using var db = Database.OpenContext();
        var token = await db.Set<EntitlementToken>().SingleAsync(t => t.Id == tokenId, Ct);
        (token.Downloads, token.Clients, token.BandwidthBytes, token.LastDownloadAt, token.LastClientIp) = (downloads, clients, bytes, lastAt, lastIp);
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>A package version with these files, written straight to the database: the pages only list files, never serve them.</summary>
    protected async Task SeedPackageAsync(string repo, string name, string version, string tags, params string[] filenames)
    {
        await using var db = Database.OpenContext();
        var repository = await db.Set<Repository>().SingleAsync(r => r.Slug == repo, Ct);
        var now = DateTime.UtcNow;
        db.Add(new EntitlementPortal.Features.Packages.Package
        {
            RepositoryId = repository.Id, Name = name, Version = version, Tags = tags, UploadedByName = "admin@example.com", UploadedAt = now,
            Files = filenames.Select(f => new EntitlementPortal.Features.Packages.PackageFile
            {
                Filename = f, Size = 2000, Sha256 = new string('a', 64), ContentType = "application/octet-stream", UploadedAt = now,
            }).ToList(),
        });
        await db.SaveChangesAsync(Ct);
    }

    protected async Task<IReadOnlyList<TokenView>> StoredAsync(string? repo = "acme", bool includeDeleted = false) =>
        (await TokenQueries.ListAsync(TestDatabase.Administrator, new TokenFilter(repo, IncludeDeleted: includeDeleted),
            new PageRequest(PageSize: 100, SortBy: "name"), Ct)).Items;

    /// <summary>Renders the popover and dialog hosts; dialogs opened later render inside the returned component.</summary>
    protected IRenderedComponent<TokenDetailPage> RenderDetail(int id, string repo = "acme") =>
        Render<TokenDetailPage>(p => p.Add(d => d.Repo, repo).Add(d => d.Id, id));

    /// <summary>The 'acme' token list with the dialog for a new token open.</summary>
    protected (IRenderedComponent<TokenList> List, IRenderedComponent<MudDialogProvider> Dialogs) OpenNewTokenForm()
    {
        SignIn("ada@example.com", Roles.Administrator);
        var dialogs = RenderDialogHost();
        var list = Render<TokenList>(p => p.Add(l => l.Repo, "acme"));
        list.WaitForElement("#new-token").Click();
        dialogs.WaitForElement("#token-name");
        return (list, dialogs);
    }

    protected static void Save(IRenderedComponent<MudDialogProvider> dialogs) => dialogs.Find("#save-token").Click();

    protected IRenderedComponent<MudDialogProvider> RenderDialogHost()
    {
        Popovers = Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    /// <summary>Opens a MudSelect and picks the item with the given text.</summary>
    protected void Pick(IRenderedComponent<MudDialogProvider> dialogs, string selectId, string item)
    {
        dialogs.Find(selectId).Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == item));
        Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == item).Click();
    }

    protected static string Text<T>(IRenderedComponent<T> fragment, string selector) where T : IComponent =>
        fragment.Find(selector).TextContent.Trim();

    protected static string[] Names<T>(IRenderedComponent<T> fragment) where T : IComponent =>
        fragment.FindAll("a.token-link").Select(a => a.TextContent.Trim()).ToArray();

    /// <summary>The error text a MudBlazor field shows under itself; fails when the field is not in error.</summary>
    protected static string FieldError<T>(IRenderedComponent<T> fragment, string fieldId) where T : IComponent
    {
        var control = fragment.Find(fieldId).Closest(".mud-input-control")!;
        Assert.Contains("mud-input-error", control.ClassList);
        return control.QuerySelector(".mud-input-helper-text")!.TextContent.Trim();
    }
}
