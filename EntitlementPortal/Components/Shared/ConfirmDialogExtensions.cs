using MudBlazor;

namespace EntitlementPortal.Components.Shared;

public static class ConfirmDialogExtensions
{
    /// <summary>Shows <see cref="ConfirmDialog"/>; true only when the person confirmed.</summary>
    public static async Task<bool> ConfirmAsync(
        this IDialogService dialogs, string title, string message, string confirmLabel = "Confirm",
        string? confirmationText = null, Color color = Color.Error, string cancelLabel = "Cancel")
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Title, title },
            { d => d.Message, message },
            { d => d.ConfirmLabel, confirmLabel },
            { d => d.ConfirmationText, confirmationText },
            { d => d.Color, color },
            { d => d.CancelLabel, cancelLabel },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }
}
