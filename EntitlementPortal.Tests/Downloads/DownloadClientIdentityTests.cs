using System.Net;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Downloads;

public sealed class TrustedProxyDownloadTests() : DownloadTestBase(new() { ["ReverseProxy:TrustedProxies:0"] = "127.0.0.1" })
{
    [Fact]
    public async Task Behind_a_trusted_proxy_the_forwarded_address_is_the_client()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Office", allowedCidrs = new[] { "203.0.113.0/24" } });

        var fromOffice = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Add("X-Forwarded-For", "203.0.113.5"));
        var fromElsewhere = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Add("X-Forwarded-For", "198.51.100.9"));

        Assert.Equal(HttpStatusCode.OK, fromOffice.StatusCode);
        await fromElsewhere.AssertProblemAsync(403);
        var events = await EventsAsync(2);
        Assert.Equal(["203.0.113.5", "198.51.100.9"], events.Select(e => e.ClientIp));
    }
}

public sealed class UntrustedForwardingDownloadTests : DownloadTestBase
{
    [Fact]
    public async Task A_client_cannot_choose_its_address_with_x_forwarded_for()
    {
        var (_, token) = await CreateTokenAsync(new { name = "Office", allowedCidrs = new[] { "203.0.113.0/24" } });

        var spoofed = await GetAsync($"/dl/{token}/{FilePath}", r => r.Headers.Add("X-Forwarded-For", "203.0.113.5"));

        Assert.Equal("ip_not_allowed", (await spoofed.AssertProblemAsync(403)).GetProperty("reason").GetString());
    }
}
