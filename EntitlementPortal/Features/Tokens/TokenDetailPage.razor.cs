using EntitlementPortal.Components.Shared;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Permissions;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenDetailPage : IDisposable
{
    /// <summary>How often an open page reads the token's usage and latest attempts again.</summary>
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);

    private ITimer? refreshTimer;
    private int refreshes;

    // Bumped by every action, so a refresh that started before it cannot put back what the action replaced.
    private int changes;
    private bool busy;
    private bool disposed;

    private TokenView? token;
    private TokenHistory? history;
    private bool notFound;
    private bool mayManage;
    private bool mayReadHistory;
    private bool reveal;
    private bool customerRevoked;
    private DownloadableFileList? files;
    private string? error;
    private string? notice;
    private (string Repo, int Id)? shown;
    private bool dropCreatedQuery;

    [Inject] private TokenQueries Tokens { get; set; } = default!;
    [Inject] private TokenLifecycle Lifecycle { get; set; } = default!;
    [Inject] private TokenCustomerStanding CustomerStanding { get; set; } = default!;
    [Inject] private DownloadableFiles Downloadable { get; set; } = default!;
    [Inject] private ActorAccessor Actors { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Parameter] public string Repo { get; set; } = "";
    [Parameter] public int Id { get; set; }

    /// <summary>Set by the list right after creating the token: the secret is shown so it can be handed over.</summary>
    [SupplyParameterFromQuery] public bool Created { get; set; }

    protected override void OnInitialized() =>
        // A timer on the injected clock (a fake one in tests); its callback runs off the renderer, hence InvokeAsync.
        refreshTimer = Clock.CreateTimer(_ => _ = InvokeAsync(RefreshUsageAsync), null, RefreshEvery, RefreshEvery);

    /// <summary>
    /// Reads the token again through the service and shows its new usage and attempts. Skipped while an action or
    /// a dialog is open: a dialog edits its own copy, and the action's answer is the newer truth.
    /// </summary>
    private async Task RefreshUsageAsync()
    {
        if (token is null || busy || disposed)
        {
            return;
        }
        var before = changes;
        try
        {
            var actor = await Actors.GetAsync();
            var fresh = await Tokens.GetAsync(actor, Repo, Id);
            var revoked = await IsCustomerRevokedAsync(actor);
            if (before == changes && !busy && !disposed && token is not null && fresh.Id == token.Id)
            {
                token = fresh;
                customerRevoked = revoked;
                refreshes++;
                StateHasChanged();
            }
        }
        catch (ServiceException)
        {
            // Gone or no longer allowed: keep what is shown; the next action reports it.
        }
    }

    public void Dispose()
    {
        disposed = true;
        refreshTimer?.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        // Taking ?created=true off the address supplies the parameters again; this token is already on screen.
        if (shown == (Repo, Id))
        {
            return;
        }
        shown = (Repo, Id);
        token = null;
        reveal = false;
        notFound = false;
        error = null;
        notice = null;
        await RunAsync(async actor =>
        {
            token = await Tokens.GetAsync(actor, Repo, Id);
            history = await Tokens.GetHistoryAsync(actor, Repo, Id);
            mayManage = await Tokens.MayManageAsync(actor, Repo);
            mayReadHistory = PermissionCheck.Allows(actor, Permission.ViewDownloadHistory);
            await LoadTokenFactsAsync(actor);
        });
        if (Created && token?.Token is not null)
        {
            reveal = true;
            notice = "Token created. Copy its secret or a download command below and hand it to the customer.";
            dropCreatedQuery = true;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // After the banner is on screen, so that reloading the page or sharing its address does not announce the
        // creation again. Only here: during prerendering a navigation would turn into a redirect before the banner.
        if (dropCreatedQuery)
        {
            dropCreatedQuery = false;
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("created", (string?)null), replace: true);
        }
    }

    private async Task EditAsync()
    {
        if (token is null)
        {
            return;
        }
        TokenView? saved;
        busy = true;
        try
        {
            saved = await TokenFormDialog.OpenAsync(Dialogs, Repo, token, customerRevoked);
        }
        finally
        {
            busy = false;
        }
        changes++;
        if (saved is not null)
        {
            await RunAsync(async actor =>
            {
                history = await Tokens.GetHistoryAsync(actor, Repo, Id);
                // The customer and the package query may have changed with the edit.
                await LoadTokenFactsAsync(actor);
            });
            token = saved;
            error = null;
            Snackbar.Add($"Token '{saved.Name}' saved.", Severity.Success);
        }
    }

    private Task SetActiveAsync(bool active) => RunAsync(async actor =>
    {
        token = active ? await Lifecycle.EnableAsync(actor, Repo, Id) : await Lifecycle.DisableAsync(actor, Repo, Id);
        Snackbar.Add(active ? "Token enabled: downloads with it work again." : "Token disabled: downloads with it are refused.", Severity.Success);
    });

    private async Task RefreshAsync()
    {
        if (token is null || await TokenRefreshDialog.OpenAsync(Dialogs, token.Name) is not { } graceSeconds)
        {
            return;
        }
        await RunAsync(async actor =>
        {
            token = await Lifecycle.RefreshAsync(actor, Repo, Id, graceSeconds > 0 ? graceSeconds : null);
            history = await Tokens.GetHistoryAsync(actor, Repo, Id);
            reveal = true;
            Snackbar.Add("Secret refreshed.", Severity.Success);
            notice = history.PreviousSecretValidUntil is { } until
                ? $"New secret below: hand it over now. The old secret works until {TokenDisplay.Utc(until)}."
                : "New secret below: hand it over now. The old secret stopped working.";
        });
    }

    private async Task ResetUsageAsync()
    {
        if (token is { } current && await Dialogs.ConfirmAsync("Reset usage",
                $"Set the downloads, clients and bandwidth of '{current.Name}' back to zero? The download history stays.", "Reset usage",
                color: Color.Warning))
        {
            await RunAsync(async actor =>
            {
                token = await Lifecycle.ResetUsageAsync(actor, Repo, Id);
                Snackbar.Add("Usage reset to zero.", Severity.Success);
            });
        }
    }

    private async Task DeleteAsync()
    {
        if (token is { } current && await Dialogs.ConfirmAsync("Delete token",
                $"Delete '{current.Name}'? Its secret stops working for good and the token cannot be enabled again; its history stays.",
                "Delete", confirmationText: current.Name))
        {
            if (await RunAsync(actor => Lifecycle.DeleteAsync(actor, Repo, Id)))
            {
                Snackbar.Add($"Token '{current.Name}' deleted.", Severity.Success);
                Navigation.NavigateTo($"repositories/{Repo}");
            }
        }
    }

    private async Task LoadTokenFactsAsync(Actor actor)
    {
        customerRevoked = await IsCustomerRevokedAsync(actor);
        files = await Downloadable.ForTokenAsync(actor, Repo, Id);
    }

    private async Task<bool> IsCustomerRevokedAsync(Actor actor) => (await CustomerStanding.RevokedAsync(actor, [Id])).Contains(Id);

    // Service outcomes (allowance, deleted meanwhile, not allowed) become a message on the page instead of an error.
    private async Task<bool> RunAsync(Func<Actor, Task> action)
    {
        error = null;
        changes++;
        busy = true;
        try
        {
            await action(await Actors.GetAsync());
            return true;
        }
        catch (Exception ex) when (ex is NotFoundException or ForbiddenException && token is null)
        {
            notFound = true;
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
        }
        catch (FluentValidation.ValidationException ex)
        {
            error = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage));
        }
        finally
        {
            busy = false;
        }
        return false;
    }
}
