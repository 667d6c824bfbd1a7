using EntitlementPortal.Features.Packages.Query;

namespace EntitlementPortal.Tests.Packages.Query;

internal static class SamplePackages
{
    public static PackageFacts Package(
        string name = "acme-agent",
        string version = "2.1.0",
        string? filename = null,
        string[]? tags = null,
        string format = "raw") =>
        new(name, version, filename, tags ?? [], format);

    /// <summary>acme-agent 2.1.0, file acme-agent-2.1.0.tar.gz, tagged stable and Linux, format raw.</summary>
    public static PackageFacts AcmeAgentFile { get; } =
        Package(filename: "acme-agent-2.1.0.tar.gz", tags: ["stable", "Linux"]);

    public static bool Matches(string query, PackageFacts package) => PackageQuery.Parse(query).Matches(package);

    public static TermNode Name(string pattern) => new(PackageQueryField.Name, new TextPattern(pattern));

    public static AndNode And(params QueryNode[] operands) => new(operands);

    public static OrNode Or(params QueryNode[] operands) => new(operands);

    public static NotNode Not(QueryNode operand) => new(operand);
}
