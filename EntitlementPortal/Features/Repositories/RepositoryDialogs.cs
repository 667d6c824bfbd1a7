using EntitlementPortal.Components.Shared;
using MudBlazor;

namespace EntitlementPortal.Features.Repositories;

public static class RepositoryDialogs
{
    /// <summary>
    /// Shows <see cref="RepositoryFormDialog"/> to create a repository (no <paramref name="existing"/>) or change one;
    /// the saved repository, or null when the person cancelled.
    /// </summary>
    public static async Task<RepositorySummary?> ShowRepositoryFormAsync(this IDialogService dialogs, RepositorySummary? existing = null)
    {
        var parameters = new DialogParameters<RepositoryFormDialog> { { d => d.Existing, existing } };
        var title = existing is null ? "New repository" : $"Edit {existing.Name}";
        var dialog = await dialogs.ShowAsync<RepositoryFormDialog>(
            title, parameters, FormDialog.Options());
        var result = await dialog.Result;
        return result is { Canceled: false, Data: RepositorySummary saved } ? saved : null;
    }
}
