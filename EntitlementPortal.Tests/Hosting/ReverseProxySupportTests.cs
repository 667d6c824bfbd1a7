using EntitlementPortal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Tests.Hosting;

public sealed class ReverseProxySupportTests
{
    private static ForwardedHeadersOptions Configure(params string[] proxies)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(proxies.Select((p, i) => new KeyValuePair<string, string?>($"{ReverseProxySupport.Section}:{i}", p)))
            .Build();
        var services = new ServiceCollection().AddReverseProxySupport(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
    }

    [Fact]
    public void Without_configuration_no_proxy_is_trusted_not_even_loopback()
    {
        var options = Configure();
        Assert.Empty(options.KnownIPNetworks);
        Assert.Empty(options.KnownProxies);
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
