using System.Globalization;
using System.Text;
using System.Text.Json;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Features.Demo;

/// <summary>
/// Creates repositories, customers, tokens and package files through the portal's own services, so every row
/// passes the same validation, lands in the audit log and the files sit in the real package storage.
/// </summary>
internal sealed class DemoCatalogWriter(
    RepositoryService repositories, CustomerService customers, TokenEditor tokens, PackageUploads packages, TimeProvider clock)
{
    /// <summary>Tokens per transaction: 100,000 tokens one by one would take minutes, one transaction would hold them all in memory.</summary>
    public const int TokenBatchSize = 2_000;

    public async Task<DemoWorld> WriteAsync(DemoArguments arguments, Random random, CancellationToken cancellationToken)
    {
        var actor = Actor.System;
        var files = new List<DemoFile>();
        foreach (var spec in DemoCatalog.Repositories)
        {
            await repositories.CreateAsync(actor, new RepositoryInput
            {
                Slug = spec.Slug, Name = spec.Name, Description = spec.Description, Visibility = spec.Visibility,
            }, cancellationToken);
            files.AddRange(await UploadPackagesAsync(actor, spec, random, cancellationToken));
        }

        var customerIds = new List<int>();
        var now = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < DemoCatalog.Companies.Length; i++)
        {
            var company = DemoCatalog.Companies[i];
            var created = await customers.CreateAsync(actor, CustomerFor(company, i, now, random), cancellationToken);
            customerIds.Add(created.Id);
        }

        var privateRepos = DemoCatalog.Repositories.Where(r => r.Visibility == RepositoryVisibility.Private).ToArray();
        var plans = new List<TokenPlan>(arguments.Tokens);
        for (var i = 0; i < arguments.Tokens; i++)
        {
            var repo = privateRepos[i % privateRepos.Length];
            // Most tokens belong to a customer; a few are the vendor's own (CI, QA).
            int? customerId = i % 9 == 8 ? null : customerIds[random.Next(customerIds.Count)];
            plans.Add(PlanToken(repo, i, customerId, now, random));
        }
        var demoTokens = new DemoToken[plans.Count];
        foreach (var batch in Enumerable.Range(0, plans.Count).Chunk(TokenBatchSize))
        {
            foreach (var repoBatch in batch.GroupBy(i => plans[i].Repo))
            {
                var ids = await tokens.CreateManyAsync(actor, repoBatch.Key, [.. repoBatch.Select(i => plans[i].Input)], cancellationToken);
                foreach (var (index, id) in repoBatch.Zip(ids))
                {
                    demoTokens[index] = plans[index].Token with { Id = id };
                }
            }
        }
        return new DemoWorld([.. DemoCatalog.Repositories.Select(r => r.Slug)], customerIds.Count, demoTokens, files);
    }

    private async Task<List<DemoFile>> UploadPackagesAsync(Actor actor, DemoCatalog.RepositorySpec spec, Random random, CancellationToken cancellationToken)
    {
        var files = new List<DemoFile>();
        foreach (var package in spec.Packages)
        {
            foreach (var version in DemoCatalog.Versions)
            {
                var filename = FilenameOf(package, version);
                using var content = new MemoryStream(ContentOf(package, version, random));
                var view = await packages.UploadAsync(actor, spec.Slug, package, version, version == DemoCatalog.Versions[^1] ? "stable,latest" : "stable",
                    filename, content, cancellationToken: cancellationToken);
                files.Add(new DemoFile(spec.Slug, view.Name, view.Version, filename, view.Files.Single(f => f.Filename == filename).Size));
            }
        }
        return files;
    }

    private static string FilenameOf(string package, string version) => package switch
    {
        "acme-sdk-python" => $"acme_sdk-{version}-py3-none-any.whl",
        "acme-sdk-js" => $"acme-sdk-{version}.tgz",
        "acme.sdk" => $"Acme.Sdk.{version}.nupkg",
        _ => $"{package}-{version}-linux-x64.tar.gz",
    };

    /// <summary>A small readable file (a few KiB): real bytes, so a download of it is a real download.</summary>
    private static byte[] ContentOf(string package, string version, Random random)
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"{package} {version} (demo build)");
        var lines = random.Next(40, 400);
        for (var i = 0; i < lines; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{i:D4} {Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))}");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static CustomerInput CustomerFor(string company, int index, DateTime now, Random random)
    {
        var domain = new string([.. company.ToLowerInvariant().Where(char.IsLetterOrDigit)]) + ".example";
        var plan = DemoCatalog.Plans[random.Next(DemoCatalog.Plans.Length)];
        var metadata = new Dictionary<string, object>
        {
            ["region"] = DemoCatalog.Regions[random.Next(DemoCatalog.Regions.Length)],
            ["seats"] = random.Next(5, 500),
            ["crmId"] = string.Create(CultureInfo.InvariantCulture, $"CRM-{100000 + index * 37}"),
        };
        return new CustomerInput
        {
            Name = company,
            Company = company,
            Email = "licensing@" + domain,
            ExternalRef = string.Create(CultureInfo.InvariantCulture, $"ACC-{1000 + index}"),
            Plan = plan,
            // Some subscriptions ended lately, most run for months yet.
            SubscriptionEndsAt = now.Date.AddDays(random.Next(-20, 400)),
            MetadataJson = JsonSerializer.Serialize(metadata),
        };
    }

    /// <summary>A token to create: the portal's input, and what the event generator needs once it has an id.</summary>
    private sealed record TokenPlan(string Repo, TokenInput Input, DemoToken Token);

    private static TokenPlan PlanToken(DemoCatalog.RepositorySpec repo, int index, int? customerId, DateTime now, Random random)
    {
        var network = DemoCatalog.Networks[random.Next(DemoCatalog.Networks.Length)];
        // A network of two octets ("10.20.") gets a random third octet, so every client of a token shares one /24.
        var prefix = network.Count(c => c == '.') == 2 ? network + random.Next(0, 250).ToString(CultureInfo.InvariantCulture) + "." : network;
        var pool = Enumerable.Range(0, random.Next(1, 8))
            .Select(_ => prefix + random.Next(1, 254).ToString(CultureInfo.InvariantCulture)).Distinct().ToArray();
        var input = new TokenInput
        {
            Name = (customerId is null ? "Vendor CI" : "Production") + string.Create(CultureInfo.InvariantCulture, $" {index + 1:D3}"),
            CustomerId = customerId,
            // A few tokens were switched off: every attempt with them is refused.
            IsActive = index % 13 != 12,
            LimitDateFrom = now.Date.AddDays(-120),
            LimitDateTo = index % 3 == 0 ? now.Date.AddDays(random.Next(60, 365)) : null,
        };
        var kind = index % 6;
        if (kind == 1)
        {
            input.LimitDownloads = random.Next(200, 2_000);
        }
        else if (kind == 2)
        {
            input.LimitClients = pool.Length;
        }
        else if (kind == 3)
        {
            input.AllowedCidrs = [prefix + "0/24"];
        }
        else if (kind == 4)
        {
            input.LimitPackageQuery = "name:" + repo.Packages[0];
        }
        else if (kind == 5)
        {
            input.LimitBandwidthBytes = random.Next(1, 8) * 1024L * 1024;
        }
        input.MetadataJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["environment"] = kind % 2 == 0 ? "production" : "staging" });

        var token = new DemoToken(0, repo.Slug, customerId, input.IsActive, pool, input.LimitDownloads, input.LimitBandwidthBytes,
            input.LimitPackageQuery is null ? null : repo.Packages[0],
            ForeignRefusal: kind switch { 2 => "client_limit", 3 => "ip_not_allowed", _ => null },
            Activity: 0.2 + random.NextDouble() * 2);
        return new TokenPlan(repo.Slug, input, token);
    }
}
