namespace EntitlementPortal.Features.Packages.Query;

internal static class PackageQueryFields
{
    public static readonly string List = string.Join(", ", Enum.GetValues<PackageQueryField>().Select(NameOf));

    public static string NameOf(PackageQueryField field) => field switch
    {
        PackageQueryField.Name => "name",
        PackageQueryField.Version => "version",
        PackageQueryField.Filename => "filename",
        PackageQueryField.Tag => "tag",
        PackageQueryField.Format => "format",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static bool TryParse(string name, out PackageQueryField field)
    {
        foreach (var candidate in Enum.GetValues<PackageQueryField>())
        {
            if (string.Equals(name, NameOf(candidate), StringComparison.OrdinalIgnoreCase))
            {
                field = candidate;
                return true;
            }
        }
        field = default;
        return false;
    }
}
