using EntitlementPortal.Components.Shared;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenList
{
    [Inject] private TokenQueries Tokens { get; set; } = default!;
    [Inject] private TokenCustomerStanding CustomerStanding { get; set; } = default!;
    [Inject] private ScopedTokenCounts Counts { get; set; } = default!;
    [Inject] private TokenRepositoryChoices RepositoryChoices { get; set; } = default!;
    [Inject] private ActorAccessor Actors { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private MudTable<TokenView> table = default!;
    private TokenAllowance? allowance;
    private TokenCount? count;
    private IReadOnlySet<int> revoked = new HashSet<int>();
    private IReadOnlyList<RepositoryChoice> repositories = [];
    private bool mayManage;
    private string? search;
    private string status = "all";
    private bool showDeleted;
    private string? loadError;
    private string? notice;
    private ListUrlState url = default!;

    /// <summary>Only this repository's tokens; also enables creating and syncing here.</summary>
    [Parameter] public string? Repo { get; set; }

    /// <summary>Only this customer's tokens; a new token is then preselected for this customer.</summary>
    [Parameter] public int? CustomerId { get; set; }

    /// <summary>The customer's name, for preselecting it in the new-token dialog.</summary>
    [Parameter] public string? CustomerName { get; set; }

    /// <summary>A revoked customer's new token starts disabled: an active one would be refused when saved.</summary>
    [Parameter] public bool CustomerRevoked { get; set; }

    /// <summary>A section heading, for pages where the list is one part among others.</summary>
    [Parameter] public string? Title { get; set; }

    [Parameter] public string? Class { get; set; }

    [Parameter] public string? Id { get; set; }

    private bool Filtered => !string.IsNullOrWhiteSpace(search) || status != "all";

    private bool Scoped => Repo is not null || CustomerId is not null;

    protected override void OnInitialized()
    {
        // On a repository's or customer's page the list shares the address with the page's own state.
        url = ListUrlState.FromUri(Navigation.Uri, defaultSort: "name", Scoped ? "tokens-" : "", "status", "deleted");
        search = url.Search;
        status = url.Filter("status") is "active" or "disabled" ? url.Filter("status")! : "all";
        showDeleted = url.Filter("deleted") is "true";
    }

    protected override async Task OnParametersSetAsync()
    {
        var actor = await Actors.GetAsync();
        await LoadCountsAsync(actor);
        if (Repo is not null)
        {
            mayManage = await Tokens.MayManageAsync(actor, Repo);
        }
        else
        {
            repositories = await RepositoryChoices.ListAsync(actor);
            mayManage = repositories.Count > 0;
        }
    }

    public async Task ReloadAsync()
    {
        await LoadCountsAsync(await Actors.GetAsync());
        await table.ReloadServerData();
    }

    private async Task LoadCountsAsync(Actor actor)
    {
        allowance = await Tokens.GetAllowanceAsync();
        count = Scoped ? await Counts.CountAsync(actor, Repo, CustomerId) : null;
    }

    private async Task<TableData<TokenView>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        loadError = null;
        var filter = new TokenFilter(Repo, CustomerId, status switch { "active" => true, "disabled" => false, _ => null }, showDeleted);
        var request = new PageRequest(state.Page + 1, state.PageSize, search, state.SortLabel, state.SortDirection == SortDirection.Descending);
        try
        {
            var actor = await Actors.GetAsync();
            var page = await Tokens.ListAsync(actor, filter, request, cancellationToken);
            revoked = await CustomerStanding.RevokedAsync(actor, page.Items.Where(t => t.CustomerId is not null).Select(t => t.Id), cancellationToken);
            url.Take(state);
            url.SetSearch(search);
            url.SetFilter("status", status, defaultValue: "all");
            url.SetFilter("deleted", showDeleted ? "true" : null);
            url.WriteTo(Navigation);
            return new TableData<TokenView> { Items = page.Items, TotalItems = page.Total };
        }
        catch (ServiceException ex)
        {
            loadError = ex.Message;
            return new TableData<TokenView> { Items = [], TotalItems = 0 };
        }
    }

    private Task SearchAsync(string? value)
    {
        search = value;
        return FromFirstPageAsync();
    }

    private Task StatusAsync(string value)
    {
        status = value;
        return FromFirstPageAsync();
    }

    private Task ShowDeletedAsync(bool value)
    {
        showDeleted = value;
        return FromFirstPageAsync();
    }

    // A narrower result may have fewer pages than the one being shown.
    private async Task FromFirstPageAsync()
    {
        table.NavigateTo(0);
        await table.ReloadServerData();
    }

    private async Task CreateAsync()
    {
        var customer = CustomerId is { } id ? new TokenCustomerChoice(id, CustomerName ?? $"Customer {id}", CustomerRevoked) : null;
        if (await TokenFormDialog.OpenNewAsync(Dialogs, Repo, repositories, customer) is { } created)
        {
            Snackbar.Add($"Token '{created.Name}' created.", Severity.Success);
            await ReloadAsync();
            // The detail page shows the new secret and the download snippets to hand over.
            Navigation.NavigateTo($"repositories/{created.Repo}/tokens/{created.Id}?created=true");
        }
    }

    private async Task SyncAsync()
    {
        if (await TokenSyncDialog.OpenAsync(Dialogs, Repo!) is { } synced)
        {
            Snackbar.Add($"Tokens synced from '{synced.Source}'.", Severity.Success);
            notice = $"Synced from {synced.Source}: {synced.Result.Created} created, {synced.Result.Updated} updated, {synced.Result.Deleted} deleted.";
            await ReloadAsync();
        }
    }
}
