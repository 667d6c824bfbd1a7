using System.IO.Compression;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Formats.NuGet;

/// <summary>
/// Bounded reading of a .nupkg (a zip): only the central directory and the one .nuspec at the root are read, and the
/// nuspec is read up to a cap whatever its header claims, so a zip bomb or a forged size costs at most the cap.
/// Entry names with traversal or absolute paths make the whole package invalid: NuGet extracts packages on the
/// customer's machine, and the portal must not pass on a package that would write outside its folder.
/// </summary>
public static class NupkgArchive
{
    public const int MaxEntries = 10_000;
    public const int MaxNuspecBytes = 1024 * 1024;

    /// <summary>The bytes of the package's .nuspec; throws ValidationException with what is wrong otherwise.</summary>
    public static byte[] ReadNuspec(string path)
    {
        using var file = File.OpenRead(path);
        return ReadNuspec(file);
    }

    /// <summary>The same from a seekable stream (a stored package), which stays open.</summary>
    public static byte[] ReadNuspec(Stream file)
    {
        if (file.Length == 0)
        {
            throw Invalid("The file is empty; push a .nupkg made by 'dotnet pack' or 'nuget pack'.");
        }
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw Invalid("The file is not a .nupkg (not a zip archive).");
        }
        using (archive)
        {
            try
            {
                return ReadNuspec(archive);
            }
            catch (InvalidDataException ex)
            {
                throw Invalid($"The .nupkg is damaged: {ex.Message}");
            }
        }
    }

    private static byte[] ReadNuspec(ZipArchive archive)
    {
        var entries = archive.Entries;
        if (entries.Count > MaxEntries)
        {
            throw Invalid($"The .nupkg has {entries.Count} entries; at most {MaxEntries} are accepted.");
        }
        foreach (var entry in entries)
        {
            if (EntryNameProblem(entry.FullName) is { } problem)
            {
                throw Invalid(problem);
            }
        }
        var nuspecs = entries.Where(e => !e.FullName.Contains('/', StringComparison.Ordinal)
            && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)).ToList();
        if (nuspecs.Count != 1)
        {
            throw Invalid(nuspecs.Count == 0
                ? "The .nupkg has no .nuspec at its root; NuGet needs one to know the package's id and version."
                : "The .nupkg has more than one .nuspec at its root; it must have exactly one.");
        }
        var nuspec = nuspecs[0];
        if (nuspec.Length > MaxNuspecBytes)
        {
            throw TooLarge(nuspec.FullName);
        }
        using var content = nuspec.Open();
        var buffer = new byte[MaxNuspecBytes + 1];
        var read = 0;
        // Read one byte past the cap: a header that understates the size is caught by what actually inflates.
        while (read < buffer.Length && content.Read(buffer, read, buffer.Length - read) is var n and > 0)
        {
            read += n;
        }
        if (read > MaxNuspecBytes)
        {
            throw TooLarge(nuspec.FullName);
        }
        return buffer[..read];
    }

    /// <summary>Why an entry name may not be in a package (traversal, absolute, drive or control characters), or null.</summary>
    internal static string? EntryNameProblem(string name)
    {
        // NuGet un-escapes entry names when it extracts (OPC part names): "%2E%2E%2F" must count as "../".
        return IsUnsafe(name) || IsUnsafe(Uri.UnescapeDataString(name))
            ? $"The .nupkg has an entry with an unsafe path ('{Printable(name)}'): no absolute paths, drive letters or '..'."
            : null;
    }

    private static bool IsUnsafe(string name) =>
        name.Length == 0 || name[0] is '/' or '\\' || name.Contains(':', StringComparison.Ordinal)
        || name.Any(char.IsControl) || name.Split('/', '\\').Any(segment => segment == "..");

    private static string Printable(string name)
    {
        var shown = new string(name.Select(c => char.IsControl(c) ? '?' : c).Take(120).ToArray());
        return name.Length > 120 ? shown + "…" : shown;
    }

    private static ValidationException TooLarge(string name) =>
        Invalid($"The .nupkg's '{Printable(name)}' is larger than {MaxNuspecBytes / 1024 / 1024} MiB.");

    internal static ValidationException Invalid(string message) => new([new ValidationFailure("file", message)]);
}
