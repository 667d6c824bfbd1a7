using Microsoft.JSInterop;
using MudBlazor;

namespace EntitlementPortal.Components.Shared;

/// <summary>Copying a secret or a command, with the one message people see whether the browser allowed it or not.</summary>
public static class Clipboard
{
    public static async Task CopyAsync(this IJSRuntime js, ISnackbar snackbar, string text, string what)
    {
        try
        {
            await js.InvokeVoidAsync("navigator.clipboard.writeText", text);
            snackbar.Add($"{what} copied to the clipboard.", Severity.Success);
        }
        catch (JSException)
        {
            // Browsers refuse the clipboard outside secure contexts (plain HTTP on a non-local host).
            snackbar.Add("The browser did not allow copying; select the text and copy it by hand.", Severity.Warning);
        }
    }
}
