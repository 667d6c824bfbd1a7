using System.Globalization;
using System.Text;
using FluentValidation;
using FluentValidation.Results;

namespace EntitlementPortal.Features.Packages;

/// <summary>
/// File names of package files. They reach download URLs, Content-Disposition headers and customers' disks, so
/// anything that could be a path, hide characters or mean something special to an operating system is refused
/// rather than silently rewritten (the uploader sees exactly what customers will get).
/// </summary>
public static class PackageFilename
{
    public const int MaxLength = 255;

    // Windows device names, with or without an extension ("con.txt" is still the console).
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>What is wrong with the name, or null when it can be stored as it is (after Unicode normalisation).</summary>
    public static string? Problem(string? filename)
    {
        if (string.IsNullOrEmpty(filename))
        {
            return "Choose a file with a name.";
        }
        if (filename is "." or "..")
        {
            return $"'{filename}' is not a file name.";
        }
        if (filename.Contains('/') || filename.Contains('\\'))
        {
            return "A file name cannot contain '/' or '\\' (no folders or paths).";
        }
        if (HasHiddenCharacters(filename))
        {
            return "A file name cannot contain control or invisible formatting characters.";
        }
        if (filename.Any(c => c is ':' or '<' or '>' or '"' or '|' or '?' or '*'))
        {
            return "A file name cannot contain : < > \" | ? or *.";
        }
        if (char.IsWhiteSpace(filename[0]) || char.IsWhiteSpace(filename[^1]))
        {
            return "A file name cannot start or end with a space.";
        }
        if (filename.EndsWith('.'))
        {
            return "A file name cannot end with '.'.";
        }
        if (filename.Length > MaxLength)
        {
            return $"A file name has at most {MaxLength} characters.";
        }
        var stem = filename.Split('.')[0].TrimEnd();
        if (ReservedNames.Contains(stem))
        {
            return $"'{stem}' is a reserved device name on Windows and cannot be used as a file name.";
        }
        return null;
    }

    private static bool HasHiddenCharacters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsControl(text[i]) || CharUnicodeInfo.GetUnicodeCategory(text[i])
                    is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The name to store (NFC-normalised), or a ValidationException keyed "file" saying why not.</summary>
    public static string Sanitize(string? filename)
    {
        // Checked before normalising as well: Normalize throws on a lone surrogate.
        var problem = Problem(filename);
        if (problem is null)
        {
            filename = filename!.Normalize(NormalizationForm.FormC);
            problem = Problem(filename);
        }
        if (problem is not null)
        {
            throw new ValidationException([new ValidationFailure("file", problem)]);
        }
        return filename!;
    }
}
