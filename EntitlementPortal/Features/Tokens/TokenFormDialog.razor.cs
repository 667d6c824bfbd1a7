using EntitlementPortal.Components.Shared;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace EntitlementPortal.Features.Tokens;

public sealed partial class TokenFormDialog
{
    private static readonly string TokenHelp =
        $"Empty: a secret is generated ({TokenSecret.Prefix}…). Custom: {TokenSecret.CustomMinLength}–{TokenSecret.CustomMaxLength} letters, "
        + $"digits, '-', '.' and '_', starting with a letter or digit; unique in this repository; not '{TokenSecret.Prefix}…', "
        + $"{string.Join(" or ", TokenSecret.ReservedWords.Select(w => $"'{w}'"))}.";

    private readonly FormErrors errors = new();
    private readonly FormBaseline baseline = new();
    private MudForm form = default!;
    private TokenCustomerChoice? customer;
    private TokenRestrictionFields? restrictions;
    private bool saving;
    private bool repoMissing;
    private string repo = "";

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The repository of the token; empty when the dialog lets the person choose one of <see cref="Repositories"/>.</summary>
    [Parameter] public string Repo { get; set; } = "";

    /// <summary>Where a new token may go, when it is created outside a repository's page.</summary>
    [Parameter] public IReadOnlyList<RepositoryChoice> Repositories { get; set; } = [];

    /// <summary>The customer a new token is for (e.g. from the customer's page), or the existing token's customer.</summary>
    [Parameter] public TokenCustomerChoice? PresetCustomer { get; set; }

    private bool ChooseRepository => Existing is null && Repositories.Count > 0;

    /// <summary>The token being changed; null to create one.</summary>
    [Parameter] public TokenView? Existing { get; set; }

    [Parameter] public TokenInput Input { get; set; } = new();

    /// <summary>
    /// Opens the dialog for a new token: in <paramref name="repo"/>, or in one of <paramref name="repositories"/>
    /// the person picks; for <paramref name="customer"/> when given. The created token, or null when cancelled.
    /// </summary>
    public static async Task<TokenView?> OpenNewAsync(IDialogService dialogs, string? repo, IReadOnlyList<RepositoryChoice> repositories,
        TokenCustomerChoice? customer)
    {
        // A revoked customer's token must start disabled: the service refuses an active one.
        var input = new TokenInput { CustomerId = customer?.Id, IsActive = customer is not { Revoked: true } };
        var parameters = new DialogParameters<TokenFormDialog>
        {
            { d => d.Repo, repo ?? (repositories.Count == 1 ? repositories[0].Slug : "") },
            { d => d.Repositories, repo is null ? repositories : [] },
            { d => d.PresetCustomer, customer },
            { d => d.Input, input },
        };
        var options = FormDialog.Options(MaxWidth.Medium);
        var dialog = await dialogs.ShowAsync<TokenFormDialog>("New token", parameters, options);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: TokenView saved } ? saved : null;
    }

    /// <summary>Opens the dialog; the saved token (with its secret, for those who may see it), or null when cancelled.</summary>
    /// <param name="customerRevoked">The existing token's customer is revoked: the token cannot be switched on.</param>
    public static async Task<TokenView?> OpenAsync(IDialogService dialogs, string repo, TokenView? existing = null, bool customerRevoked = false)
    {
        var input = existing?.ToInput() ?? new TokenInput();
        // Stored metadata is compact; people edit it indented, unless indenting would push it over the limit.
        if (JsonMetadata.Pretty(input.MetadataJson) is { Length: > 0 and <= JsonMetadata.MaxLength } pretty)
        {
            input.MetadataJson = pretty;
        }
        var parameters = new DialogParameters<TokenFormDialog>
        {
            { d => d.Repo, repo },
            { d => d.Existing, existing },
            { d => d.Input, input },
            { d => d.PresetCustomer, existing is { CustomerId: { } id, CustomerName: { } name } ? new TokenCustomerChoice(id, name, customerRevoked) : null },
        };
        var options = FormDialog.Options(MaxWidth.Medium);
        var dialog = await dialogs.ShowAsync<TokenFormDialog>(existing is null ? "New token" : "Edit token", parameters, options);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: TokenView saved } ? saved : null;
    }

    protected override void OnInitialized()
    {
        repo = Repo;
        customer = PresetCustomer;
        baseline.Take(Input);
    }

    private void PickCustomer(TokenCustomerChoice? choice)
    {
        customer = choice;
        Input.CustomerId = choice?.Id;
        if (choice is { Revoked: true })
        {
            // The service refuses an active token for a revoked customer; say so before saving, not after.
            Input.IsActive = false;
        }
    }

    private void PickRepository(string slug)
    {
        repo = slug;
        repoMissing = false;
        errors.Clear();
    }

    private async Task<IEnumerable<TokenCustomerChoice>> SearchCustomersAsync(string? text, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Customers.ListAsync(await Actors.GetAsync(), new PageRequest(1, 20, text, "name"), cancellationToken: cancellationToken);
            return page.Items.Select(c => new TokenCustomerChoice(c.Id, c.Name, c.Status == CustomerStatus.Revoked));
        }
        catch (ServiceException)
        {
            return [];
        }
    }

    private async Task SaveAsync()
    {
        saving = true;
        errors.Clear();
        // A field picks up a service error only when its Error parameter changes, so render the cleared state first.
        await Task.Yield();
        try
        {
            repoMissing = string.IsNullOrEmpty(repo);
            await form.ValidateAsync();
            if (!form.IsValid || repoMissing)
            {
                return;
            }
            var actor = await Actors.GetAsync();
            var saved = Existing is null
                ? await Editor.CreateAsync(actor, repo, Input)
                : await Editor.UpdateAsync(actor, repo, Existing.Id, Input);
            Dialog.Close(DialogResult.Ok(saved));
        }
        catch (Exception ex)
        {
            if (!errors.Capture(ex))
            {
                throw;
            }
        }
        finally
        {
            saving = false;
        }
    }
}

/// <summary>A customer as the token dialog's picker lists it; a record, so the picker can compare choices by value.</summary>
public sealed record TokenCustomerChoice(int Id, string Name, bool Revoked)
{
    public override string ToString() => Name;
}
