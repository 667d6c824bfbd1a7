using EntitlementPortal.Components.Shared;
using EntitlementPortal.Features.Formats;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// Uploads one or more files into a package version. Everything that can be checked before sending (fields,
/// file names, sizes) is checked first, so bad input stores nothing; each file then streams from the browser
/// straight into the store and is kept only once it is complete.
/// </summary>
public sealed partial class PackageUploadDialog
{
    private const int MaxFiles = 20;

    private readonly FormErrors errors = new();
    private readonly List<UploadItem> items = [];
    private IReadOnlyList<string> repositories = [];
    private string? repo;
    private string? name;
    private string? version;
    private string? tags;
    private bool uploading;
    private PackageView? stored;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter] public string? Repo { get; set; }

    protected override async Task OnInitializedAsync()
    {
        repo = Repo;
        // Only where the caller may upload: picking another repository would only end in a refusal.
        repositories = await Packages.UploadableRepositoriesAsync(await Actors.GetAsync());
    }

    private void FilesChanged(IReadOnlyList<IBrowserFile>? files)
    {
        items.Clear();
        items.AddRange((files ?? []).Select(f => new UploadItem(f, Formats.Detect(f.Name))));
        errors.Clear();
    }

    private async Task UploadAsync()
    {
        errors.Clear();
        // A field picks up an error only when its Error parameter changes, so render the cleared state first.
        await Task.Yield();
        if (!Check())
        {
            return;
        }
        uploading = true;
        try
        {
            var actor = await Actors.GetAsync();
            foreach (var item in items.Where(i => !i.Done))
            {
                item.Status = "uploading…";
                var progress = new UploadProgress(item, () => InvokeAsync(StateHasChanged));
                await using var content = item.File.OpenReadStream(Uploads.MaxUploadBytes);
                stored = await Publishing.UploadDetectingFormatAsync(actor, repo!, name, version, tags, item.File.Name, content,
                    item.File.ContentType, progress);
                item.Done = true;
                item.Percent = 100;
                item.Status = "stored";
            }
            Dialog.Close(DialogResult.Ok(stored));
        }
        catch (Exception ex)
        {
            if (items.FirstOrDefault(i => i.Status == "uploading…") is { } failed)
            {
                failed.Failed = true;
                failed.Percent = 0;
                failed.Status = "not stored";
            }
            if (!errors.Capture(ex is IOException ? new ValidationException([new ValidationFailure("file", ex.Message)]) : ex))
            {
                throw;
            }
        }
        finally
        {
            uploading = false;
        }
    }

    /// <summary>What can be known before sending anything: the fields, file names and sizes.</summary>
    private bool Check()
    {
        var failures = new List<ValidationFailure>();
        if (string.IsNullOrEmpty(repo))
        {
            failures.Add(new ValidationFailure("repo", "Choose a repository."));
        }
        try
        {
            if (NameFromPackage)
            {
                _ = PackageTags.Parse(tags, out var tagsProblem);
                if (tagsProblem is not null)
                {
                    failures.Add(new ValidationFailure("tags", tagsProblem));
                }
            }
            else
            {
                PackageRules.Validate(name, version, tags);
            }
        }
        catch (ValidationException invalid)
        {
            failures.AddRange(invalid.Errors);
        }
        var fileProblem = items.Count == 0 ? "Choose at least one file."
            : items.Select(i => PackageFilename.Problem(i.File.Name) is { } problem ? $"{i.File.Name}: {problem}"
                : i.File.Size == 0 ? $"{i.File.Name} is empty."
                : i.File.Size > Uploads.MaxUploadBytes ? $"{i.File.Name} is larger than the upload limit of {Tokens.ByteSize.Format(Uploads.MaxUploadBytes)}."
                : null).FirstOrDefault(p => p is not null);
        if (fileProblem is not null)
        {
            failures.Add(new ValidationFailure("file", fileProblem));
        }
        if (failures.Count == 0)
        {
            return true;
        }
        errors.Capture(new ValidationException(failures));
        return false;
    }

    /// <summary>
    /// Every chosen file is a package whose own metadata names it (a wheel, a nupkg, maybe a tarball): name and
    /// version may stay empty, and typed ones must agree with the package. A tarball that turns out to be a plain
    /// archive is stored raw and then needs them; the upload says so.
    /// </summary>
    private bool NameFromPackage => items.Count > 0 && items.All(i => i.Format is not null);

    private string NameHelp => NameFromPackage
        ? "Optional: the package's own metadata names it"
        : "Lowercase letters, digits, '-', '.' and '_'";

    private bool IsDirty =>
        repo != Repo || !string.IsNullOrEmpty(name) || !string.IsNullOrEmpty(version) || !string.IsNullOrEmpty(tags) || items.Count > 0;

    // Closing after a partial upload still tells the page that something was stored.
    private void Close()
    {
        if (stored is null)
        {
            Dialog.Cancel();
        }
        else
        {
            Dialog.Close(DialogResult.Ok(stored));
        }
    }

    private sealed class UploadItem(IBrowserFile file, (IPackageFormat Format, FormatClaim Claim)? detected)
    {
        public IBrowserFile File { get; } = file;
        public IPackageFormat? Format { get; } = detected?.Format;
        public FormatClaim Claim { get; } = detected?.Claim ?? FormatClaim.None;
        public double Percent { get; set; }
        public string Status { get; set; } = "";
        public bool Done { get; set; }
        public bool Failed { get; set; }
    }

    /// <summary>Redraws only when the whole percentage changes: a large file reports thousands of chunks.</summary>
    private sealed class UploadProgress(UploadItem item, Func<Task> redraw) : IProgress<long>
    {
        public void Report(long value)
        {
            var percent = item.File.Size == 0 ? 100 : Math.Floor(value * 100.0 / item.File.Size);
            if (percent != item.Percent)
            {
                item.Percent = percent;
                _ = redraw();
            }
        }
    }
}
