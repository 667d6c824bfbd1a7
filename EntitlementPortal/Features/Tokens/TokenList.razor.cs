using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenList
{
    [Inject] private TokenQueries Tokens { get; set; } = default!;
    [Inject] private ActorAccessor Actors { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private MudTable<TokenView> table = default!;
    private TokenAllowance? allowance;
    private bool mayManage;
    private string? search;
    private string status = "all";
    private bool showDeleted;
    private string? loadError;
    private string? notice;

    /// <summary>Only this repository's tokens; also enables creating and syncing here.</summary>
    [Parameter] public string? Repo { get; set; }

    /// <summary>Only this customer's tokens.</summary>
    [Parameter] public int? CustomerId { get; set; }

    /// <summary>A section heading, for pages where the list is one part among others.</summary>
    [Parameter] public string? Title { get; set; }

    [Parameter] public string? Class { get; set; }

    [Parameter] public string? Id { get; set; }

    private bool Filtered => !string.IsNullOrWhiteSpace(search) || status != "all";

    protected override async Task OnParametersSetAsync()
    {
        allowance = await Tokens.GetAllowanceAsync();
        mayManage = Repo is not null && await Tokens.MayManageAsync(await Actors.GetAsync(), Repo);
    }

    public async Task ReloadAsync()
    {
        allowance = await Tokens.GetAllowanceAsync();
        await table.ReloadServerData();
    }

    private async Task<TableData<TokenView>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        loadError = null;
        var filter = new TokenFilter(Repo, CustomerId, status switch { "active" => true, "disabled" => false, _ => null }, showDeleted);
        var request = new PageRequest(state.Page + 1, state.PageSize, search, state.SortLabel, state.SortDirection == SortDirection.Descending);
        try
        {
            var page = await Tokens.ListAsync(await Actors.GetAsync(), filter, request, cancellationToken);
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
        if (await TokenFormDialog.OpenAsync(Dialogs, Repo!) is { } created)
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
