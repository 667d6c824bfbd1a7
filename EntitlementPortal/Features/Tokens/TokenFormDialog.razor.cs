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
    private CustomerChoice? customer;
    private TokenRestrictionFields? restrictions;
    private bool saving;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired] public string Repo { get; set; } = "";

    /// <summary>The token being changed; null to create one.</summary>
    [Parameter] public TokenView? Existing { get; set; }

    [Parameter] public TokenInput Input { get; set; } = new();

    /// <summary>Opens the dialog; the saved token (with its secret, for those who may see it), or null when cancelled.</summary>
    public static async Task<TokenView?> OpenAsync(IDialogService dialogs, string repo, TokenView? existing = null)
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
        };
        var options = FormDialog.Options(MaxWidth.Medium);
        var dialog = await dialogs.ShowAsync<TokenFormDialog>(existing is null ? "New token" : "Edit token", parameters, options);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: TokenView saved } ? saved : null;
    }

    protected override void OnInitialized()
    {
        baseline.Take(Input);
        if (Existing is { CustomerId: { } id, CustomerName: { } name })
        {
            customer = new CustomerChoice(id, name);
        }
    }

    private void PickCustomer(CustomerChoice? choice)
    {
        customer = choice;
        Input.CustomerId = choice?.Id;
    }

    private async Task<IEnumerable<CustomerChoice>> SearchCustomersAsync(string? text, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Customers.ListAsync(await Actors.GetAsync(), new PageRequest(1, 20, text, "name"), cancellationToken: cancellationToken);
            return page.Items.Select(c => new CustomerChoice(c.Id, c.Name));
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
            await form.ValidateAsync();
            if (!form.IsValid)
            {
                return;
            }
            var actor = await Actors.GetAsync();
            var saved = Existing is null
                ? await Editor.CreateAsync(actor, Repo, Input)
                : await Editor.UpdateAsync(actor, Repo, Existing.Id, Input);
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

    /// <summary>A customer as the picker lists it; a record, so the picker can compare choices by value.</summary>
    private sealed record CustomerChoice(int Id, string Name)
    {
        public override string ToString() => Name;
    }
}
