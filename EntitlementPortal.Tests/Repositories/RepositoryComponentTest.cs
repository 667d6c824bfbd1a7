using Bunit;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EntitlementPortal.Tests.Repositories;

/// <summary>Repository pages over the real service and database, with the popover and dialog hosts the layout provides.</summary>
public abstract class RepositoryComponentTest() : PortalComponentTest(withDatabase: true)
{
    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    protected RepositoryService Repositories => Services.GetRequiredService<RepositoryService>();

    protected Task<RepositorySummary> SeedAsync(string slug, string name,
        RepositoryVisibility visibility = RepositoryVisibility.Private, string? description = null) =>
        Repositories.CreateAsync(TestDatabase.Administrator,
            new RepositoryInput { Slug = slug, Name = name, Visibility = visibility, Description = description }, Ct);

    protected async Task<string[]> StoredSlugsAsync()
    {
        var page = await Repositories.ListAsync(TestDatabase.Administrator, new PageRequest(PageSize: 100), cancellationToken: Ct);
        return page.Items.Select(r => r.Slug).ToArray();
    }

    /// <summary>Where open menus and select lists render; set by <see cref="RenderDialogHost"/>.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    /// <summary>Renders the popover and dialog hosts; dialogs opened later render inside the returned component.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderDialogHost()
    {
        Popovers = Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }
}
