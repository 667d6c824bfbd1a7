using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace EntitlementPortal.Hosting;

/// <summary>
/// X-Forwarded-For/-Proto are honoured only from the proxies listed in <c>ReverseProxy:TrustedProxies</c>
/// (IP addresses or CIDR blocks); from anyone else they are ignored, so a client cannot pick its own IP.
/// </summary>
public static class ReverseProxySupport
{
    public const string Section = "ReverseProxy:TrustedProxies";

    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        var entries = configuration.GetSection(Section).Get<string[]>() ?? [];
        var networks = entries.Select(ParseNetwork).ToList();
        services.AddSingleton(new TrustedProxies(networks.Count > 0));

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    private static System.Net.IPNetwork ParseNetwork(string entry)
    {
        var text = entry.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        if (System.Net.IPNetwork.TryParse(text, out var network))
        {
            return network;
        }
        throw new StartupFailedException($"{Section} entry '{entry}' is not an IP address or CIDR block.");
    }

    /// <summary>
    /// Applies X-Forwarded-* only when proxies are configured. With empty lists the framework's middleware would
    /// trust every sender, so without configuration it must not run at all.
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<TrustedProxies>().Any ? app.UseForwardedHeaders() : app;
}

/// <summary>Whether any reverse proxy is trusted.</summary>
public sealed record TrustedProxies(bool Any);
