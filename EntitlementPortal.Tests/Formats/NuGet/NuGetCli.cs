using System.Security;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Formats.NuGet;

/// <summary>
/// The real .NET SDK as a vendor and a customer use it, in a temp folder of its own: its own package folder, HTTP
/// cache and CLI home (nothing from ~/.nuget), a nuget.config that clears every other source, no build servers left
/// behind, stdin closed.
/// </summary>
internal sealed class NuGetCli : IDisposable
{
    private readonly TempDirectory root = new();
    private int packagesFolders;

    public NuGetCli()
    {
        Directory.CreateDirectory(Path.Combine(root.Path, "home"));
    }

    public string Root => root.Path;

    /// <summary>A fresh package folder for the next restore, so it downloads from the feed again.</summary>
    public string PackagesFolder { get; private set; } = "";

    public void UseFreshPackagesFolder() => PackagesFolder = Path.Combine(root.Path, $"packages-{++packagesFolders}");

    public Task<ExternalTool.Result> RunAsync(string workingDirectory, params string[] arguments)
    {
        if (PackagesFolder.Length == 0)
        {
            UseFreshPackagesFolder();
        }
        var environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = PackagesFolder,
            ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(root.Path, "http-cache"),
            ["NUGET_PLUGINS_CACHE_PATH"] = Path.Combine(root.Path, "plugins-cache"),
            ["DOTNET_CLI_HOME"] = Path.Combine(root.Path, "home"),
            ["HOME"] = Path.Combine(root.Path, "home"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["UseSharedCompilation"] = "false",
        };
        return ExternalTool.RunAsync("dotnet", arguments, workingDirectory, environment, TimeSpan.FromMinutes(4));
    }

    /// <summary>Writes a nuget.config with only <paramref name="source"/>, plain HTTP allowed (the test portal is http).</summary>
    public string WriteConfig(string name, string source, (string User, string Password)? credentials = null)
    {
        var path = Path.Combine(root.Path, $"{name}.nuget.config");
        var auth = credentials is { } c
            ? $"""
              <packageSourceCredentials>
                <portal>
                  <add key="Username" value="{SecurityElement.Escape(c.User)}" />
                  <add key="ClearTextPassword" value="{SecurityElement.Escape(c.Password)}" />
                  <add key="ValidAuthenticationTypes" value="basic" />
                </portal>
              </packageSourceCredentials>
              """
            : "";
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="portal" value="{SecurityElement.Escape(source)}" allowInsecureConnections="true" />
              </packageSources>
              {auth}
            </configuration>
            """);
        return path;
    }

    /// <summary>Packs a class library <paramref name="id"/> <paramref name="version"/> whose Greeter.Hello() returns <paramref name="greeting"/>.</summary>
    public async Task<string> PackAsync(string id, string version, string greeting)
    {
        var project = Directory.CreateDirectory(Path.Combine(root.Path, $"src-{id}-{version}")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "Library.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>{id}</PackageId>
                <Version>{version}</Version>
                <Authors>Acme</Authors>
                <Description>Greets from Acme.</Description>
                <RootNamespace>Acme</RootNamespace>
                <AssemblyName>{id}</AssemblyName>
              </PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Greeter.cs"),
            $"namespace Acme; public static class Greeter {{ public static string Hello() => \"{greeting}\"; }}");
        var config = WriteConfig("pack", "https://nowhere.invalid/v3/index.json");
        var output = Path.Combine(root.Path, "nupkgs");
        (await RunAsync(project, "pack", "-c", "Release", "-o", output, "--configfile", config, "-nodeReuse:false", "-p:NuGetAudit=false"))
            .EnsureSuccess("dotnet pack");
        return Directory.GetFiles(output, $"{id}.{version}.nupkg").Single();
    }

    /// <summary>A console app that references the package and prints Greeter.Hello().</summary>
    public async Task<string> ConsumerAsync(string id, string version)
    {
        var project = Directory.CreateDirectory(Path.Combine(root.Path, $"app-{Guid.NewGuid():N}")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{id}" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(Acme.Greeter.Hello());");
        return project;
    }

    public void Dispose() => root.Dispose();
}
