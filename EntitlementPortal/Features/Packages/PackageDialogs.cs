using EntitlementPortal.Components.Shared;
using MudBlazor;

namespace EntitlementPortal.Features.Packages;

public static class PackageDialogs
{
    /// <summary>
    /// Shows <see cref="PackageUploadDialog"/>; the package version as stored after the last file, or null when
    /// nothing was uploaded.
    /// </summary>
    public static async Task<PackageView?> ShowPackageUploadAsync(this IDialogService dialogs, string? repo)
    {
        var parameters = new DialogParameters<PackageUploadDialog> { { d => d.Repo, repo } };
        var dialog = await dialogs.ShowAsync<PackageUploadDialog>(
            "Upload package", parameters, FormDialog.Options());
        var result = await dialog.Result;
        return result is { Canceled: false, Data: PackageView uploaded } ? uploaded : null;
    }
}
