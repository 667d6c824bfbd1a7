using EntitlementPortal.Features.Repositories;

namespace EntitlementPortal.Features.Demo;

/// <summary>The fixed cast of the demo: what a small software vendor's portal plausibly holds.</summary>
internal static class DemoCatalog
{
    public sealed record RepositorySpec(string Slug, string Name, string Description, RepositoryVisibility Visibility, string[] Packages);

    public static readonly RepositorySpec[] Repositories =
    [
        new("acme-agent", "Acme Agent", "The on-premises monitoring agent and its plug-ins.", RepositoryVisibility.Private,
            ["acme-agent", "acme-agent-plugins"]),
        new("acme-enterprise", "Acme Enterprise", "Enterprise server builds for licensed customers.", RepositoryVisibility.Private,
            ["acme-server", "acme-ha-bundle"]),
        new("acme-sdk", "Acme SDK", "Client libraries for Python, npm and .NET.", RepositoryVisibility.Private,
            ["acme-sdk-python", "acme-sdk-js", "acme.sdk"]),
        new("acme-community", "Acme Community", "Free community tools, open to everyone.", RepositoryVisibility.Public,
            ["acme-cli"]),
    ];

    public static readonly string[] Versions = ["1.8.2", "2.0.0", "2.1.4"];

    public static readonly string[] Companies =
    [
        "Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys", "Wingtip Systems", "Adventure Works",
        "Litware Inc", "Proseware GmbH", "Lucerne Publishing", "Margie's Travel", "Woodgrove Bank", "Coho Winery",
        "Alpine Ski House", "Blue Yonder Airlines", "Fourth Coffee", "Graphic Design Institute", "Humongous Insurance",
        "Trey Research", "Wide World Importers", "VanArsdel Ltd", "Relecloud", "Munson's Pickles", "Southridge Video",
        "First Up Consultants",
    ];

    public static readonly string[] Plans = ["Starter", "Professional", "Enterprise", "OEM"];

    public static readonly string[] Regions = ["eu-west", "us-east", "us-west", "ap-south", "eu-central"];

    public static readonly string[] UserAgents =
    [
        "curl/8.5.0", "curl/7.88.1", "Wget/1.21.3", "pip/24.0 {\"python\":\"3.12.1\"}", "pip/23.3.2 {\"python\":\"3.11.6\"}",
        "npm/10.2.4 node/v20.11.0 linux x64", "npm/9.8.1 node/v18.19.0 darwin arm64", "NuGet Command Line/6.9.1 (Microsoft Windows NT 10.0.20348.0)",
        "dotnet/8.0.101 NuGet/6.8.0", "Ansible/2.16.2", "python-requests/2.31.0", "Go-http-client/1.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    ];

    /// <summary>Documentation and private ranges only: demo addresses must never be someone's real address.</summary>
    public static readonly string[] Networks = ["203.0.113.", "198.51.100.", "192.0.2.", "10.20.", "172.16."];
}
