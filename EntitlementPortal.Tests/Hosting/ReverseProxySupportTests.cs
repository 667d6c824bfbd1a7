using EntitlementPortal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Hosting;

public sealed class ReverseProxySupportTests
{
    private static ForwardedHeadersOptions Configure(params string[] proxies) => Services(proxies).GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

    private static ServiceProvider Services(params string[] proxies)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(proxies.Select((p, i) => new KeyValuePair<string, string?>($"{ReverseProxySupport.Section}:{i}", p)))
            .Build();
        return new ServiceCollection().AddReverseProxySupport(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Without_configuration_forwarded_headers_are_not_applied_at_all()
    {
        // Empty known-proxy lists would make the framework trust everyone, so the middleware must stay off.
        Assert.False(Services().GetRequiredService<TrustedProxies>().Any);
        Assert.True(Services("10.0.0.5").GetRequiredService<TrustedProxies>().Any);
    }

    [Fact]
    public void Addresses_and_cidr_blocks_become_trusted_networks()
    {
        var options = Configure("10.0.0.5", "192.168.0.0/16", "2001:db8::/32");

        Assert.Equal(3, options.KnownIPNetworks.Count);
        Assert.Contains(options.KnownIPNetworks, n => n.ToString() == "10.0.0.5/32");
        Assert.Contains(options.KnownIPNetworks, n => n.ToString() == "2001:db8::/32");
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("10.0.0.0/33")]
    [InlineData("*")]
    public void A_bad_entry_is_a_clear_startup_error(string entry)
    {
        var error = Assert.Throws<StartupFailedException>(() => Configure(entry));
        Assert.Contains(entry, error.Message);
    }
}
