using System.Net;
using EntitlementPortal.Features.Packages.Query;
using EntitlementPortal.Features.Tokens;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenAccessRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

    private static TokenFacts Token() => new(
        IsActive: true, IsDeleted: false, CustomerRevoked: false, PresentedPreviousSecret: false, PreviousSecretValidUntil: null,
        LimitDateFrom: null, LimitDateTo: null, PackageQuery: null, AllowedCidrs: []);

    private static TokenCounters Counters() => new(
        Downloads: 0, Clients: 0, BandwidthBytes: 0, LimitDownloads: null, LimitClients: null, LimitBandwidthBytes: null);

    private static DownloadRequestFacts Request(string ip = "203.0.113.9", long bytes = 1_000) => new(
        IPAddress.Parse(ip), new PackageFacts("acme-agent", "2.1.0", "acme-agent-2.1.0.tar.gz", ["stable"], "raw"),
        IsHead: false, IsNotModified: false, IsRange: false, BytesToSend: bytes);

    private static readonly ClientUsage NewClient = new(ClientKnown: false, FileCounted: false);

    /// <summary>Both functions in the order the endpoint and the ledger apply them.</summary>
    private static UsageAdmission Decide(TokenCounters counters, DownloadRequestFacts request, ClientUsage? client = null)
    {
        var decision = TokenAccessRules.Evaluate(Token(), request, Now);
        Assert.True(decision.IsAllowed);
        return TokenAccessRules.Admit(counters, decision.Claim, client ?? NewClient);
    }

    private static void AssertRefused(AccessDecision decision, int status, string code)
    {
        Assert.False(decision.IsAllowed);
        Assert.Equal((status, code), (decision.Refusal!.Status, decision.Refusal.Code));
        Assert.Equal(UsageClaim.Nothing, decision.Claim);
    }

    private static void AssertRefused(UsageAdmission admission, string code)
    {
        Assert.False(admission.IsAllowed);
        Assert.Equal((403, code), (admission.Refusal!.Status, admission.Refusal.Code));
        Assert.False(admission.CountsAsDownload);
        Assert.False(admission.IsNewClient);
        Assert.Equal(0, admission.BytesCounted);
    }

    [Fact]
    public void An_unrestricted_token_serves_and_counts_one_download_a_new_client_and_the_bytes()
    {
        var decision = TokenAccessRules.Evaluate(Token(), Request(bytes: 4096), Now);
        Assert.True(decision.IsAllowed);
        Assert.Equal(new UsageClaim(IsDownload: true, IsRange: false, Bytes: 4096), decision.Claim);

        var admission = TokenAccessRules.Admit(Counters(), decision.Claim, NewClient);

        Assert.True(admission.IsAllowed);
        Assert.True(admission.CountsAsDownload);
        Assert.True(admission.IsNewClient);
        Assert.Equal(4096, admission.BytesCounted);
        Assert.Equal(Counters() with { Downloads = 1, Clients = 1, BandwidthBytes = 4096 }, Counters().After(admission));
    }

    [Fact]
    public void A_head_or_a_revalidation_claims_nothing_to_count()
    {
        Assert.False(TokenAccessRules.Evaluate(Token(), Request() with { IsHead = true }, Now).Claim.ClaimsAnything);
        Assert.False(TokenAccessRules.Evaluate(Token(), Request() with { IsNotModified = true }, Now).Claim.ClaimsAnything);
    }

    [Fact]
    public void Deleted_token_is_401() => AssertRefused(TokenAccessRules.Evaluate(Token() with { IsDeleted = true }, Request(), Now), 401, "token_deleted");

    [Fact]
    public void Previous_secret_works_only_inside_the_grace_window()
    {
        var graced = Token() with { PresentedPreviousSecret = true, PreviousSecretValidUntil = Now.AddMinutes(5) };
        Assert.True(TokenAccessRules.Evaluate(graced, Request(), Now).IsAllowed);
        AssertRefused(TokenAccessRules.Evaluate(graced, Request(), Now.AddMinutes(5)), 401, "token_refreshed");
        AssertRefused(TokenAccessRules.Evaluate(Token() with { PresentedPreviousSecret = true }, Request(), Now), 401, "token_refreshed");
    }

    [Fact]
    public void Revoked_customer_is_403_before_anything_else_about_the_token()
    {
        var token = Token() with { CustomerRevoked = true, IsActive = false };
        AssertRefused(TokenAccessRules.Evaluate(token, Request(), Now), 403, "customer_revoked");
    }

    [Fact]
    public void Disabled_token_is_403() => AssertRefused(TokenAccessRules.Evaluate(Token() with { IsActive = false }, Request(), Now), 403, "token_disabled");

    [Fact]
    public void Date_window_includes_its_start_and_excludes_its_end()
    {
        var token = Token() with { LimitDateFrom = Now, LimitDateTo = Now.AddDays(1) };

        AssertRefused(TokenAccessRules.Evaluate(token, Request(), Now.AddTicks(-1)), 403, "not_yet_valid");
        Assert.True(TokenAccessRules.Evaluate(token, Request(), Now).IsAllowed);
        Assert.True(TokenAccessRules.Evaluate(token, Request(), Now.AddDays(1).AddTicks(-1)).IsAllowed);
        AssertRefused(TokenAccessRules.Evaluate(token, Request(), Now.AddDays(1)), 403, "expired");
    }

    [Theory]
    [InlineData("203.0.113.200", true)]
    [InlineData("198.51.100.1", false)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("::ffff:203.0.113.5", true)]
    public void Allowed_networks_cover_ipv4_ipv6_and_mapped_addresses(string ip, bool allowed)
    {
        var token = Token() with { AllowedCidrs = ["203.0.113.0/24", "2001:db8::/32"] };

        var decision = TokenAccessRules.Evaluate(token, Request(ip), Now);

        if (allowed)
        {
            Assert.True(decision.IsAllowed);
        }
        else
        {
            AssertRefused(decision, 403, "ip_not_allowed");
        }
    }

    [Fact]
    public void A_file_outside_the_package_query_is_404_like_a_missing_file()
    {
        var token = Token() with { PackageQuery = PackageQuery.Parse("name:other-product") };
        AssertRefused(TokenAccessRules.Evaluate(token, Request(), Now), 404, "not_in_query");
        Assert.True(TokenAccessRules.Evaluate(Token() with { PackageQuery = PackageQuery.Parse("name:acme-* AND version:>=2") }, Request(), Now).IsAllowed);
    }

    [Fact]
    public void Download_limit_refuses_the_next_counted_download_but_not_a_head_or_a_revalidation()
    {
        var counters = Counters() with { LimitDownloads = 3, Downloads = 3 };

        var refused = Decide(counters, Request());
        AssertRefused(refused, "download_limit");
        Assert.Equal("This token's download limit (3) is reached.", refused.Refusal!.Detail);
        Assert.True(Decide(counters, Request() with { IsHead = true }).IsAllowed);
        Assert.True(Decide(counters, Request() with { IsNotModified = true }).IsAllowed);
        Assert.True(Decide(counters with { Downloads = 2 }, Request()).IsAllowed);
    }

    [Fact]
    public void A_range_request_for_a_file_already_counted_for_that_client_does_not_count_again()
    {
        var counters = Counters() with { LimitDownloads = 1, Downloads = 1 };
        var resume = Request() with { IsRange = true, BytesToSend = 500 };
        var counted = new ClientUsage(ClientKnown: true, FileCounted: true);

        var admission = Decide(counters, resume, counted);

        Assert.True(admission.IsAllowed);
        Assert.False(admission.CountsAsDownload);
        Assert.False(admission.IsNewClient);
        Assert.Equal(500, admission.BytesCounted);
        AssertRefused(Decide(counters, resume, counted with { FileCounted = false }), "download_limit");
        AssertRefused(Decide(counters, resume with { IsRange = false }, counted), "download_limit");
    }

    [Fact]
    public void Client_limit_refuses_only_new_client_addresses()
    {
        var counters = Counters() with { LimitClients = 1, Clients = 1 };

        var refused = Decide(counters, Request());
        AssertRefused(refused, "client_limit");
        Assert.Equal("This token's limit of 1 client addresses is reached.", refused.Refusal!.Detail);
        var known = Decide(counters, Request(), new ClientUsage(ClientKnown: true, FileCounted: false));
        Assert.True(known.IsAllowed);
        Assert.False(known.IsNewClient);
        Assert.Equal(counters with { Downloads = 1, BandwidthBytes = 1_000 }, counters.After(known));
    }

    [Fact]
    public void Bandwidth_limit_never_lets_a_download_go_past_it()
    {
        var counters = Counters() with { LimitBandwidthBytes = 10_000, BandwidthBytes = 9_000 };

        Assert.True(Decide(counters, Request(bytes: 1_000)).IsAllowed);
        var refused = Decide(counters, Request(bytes: 1_001));
        AssertRefused(refused, "bandwidth_limit");
        Assert.Contains("1 KB left", refused.Refusal!.Detail);
        Assert.True(Decide(counters with { BandwidthBytes = 10_000 }, Request() with { IsHead = true }).IsAllowed);
    }

    [Fact]
    public void Count_limits_are_checked_downloads_then_clients_then_bandwidth()
    {
        var everythingReached = Counters() with
        {
            LimitDownloads = 1, Downloads = 1, LimitClients = 1, Clients = 1, LimitBandwidthBytes = 1, BandwidthBytes = 1,
        };

        AssertRefused(Decide(everythingReached, Request()), "download_limit");
        AssertRefused(Decide(everythingReached with { LimitDownloads = null }, Request()), "client_limit");
        AssertRefused(Decide(everythingReached with { LimitDownloads = null, LimitClients = null }, Request()), "bandwidth_limit");
        Assert.True(Decide(everythingReached with { LimitDownloads = null, LimitClients = null, LimitBandwidthBytes = null }, Request()).IsAllowed);
    }

    [Fact]
    public void Checks_run_in_contract_order_credential_then_state_then_scope_then_limits()
    {
        var everythingWrong = Token() with
        {
            IsActive = false, LimitDateTo = Now.AddDays(-1), AllowedCidrs = ["10.0.0.0/8"],
            PackageQuery = PackageQuery.Parse("name:nothing"),
        };

        AssertRefused(TokenAccessRules.Evaluate(everythingWrong, Request(), Now), 403, "token_disabled");
        AssertRefused(TokenAccessRules.Evaluate(everythingWrong with { IsActive = true }, Request(), Now), 403, "expired");
        AssertRefused(TokenAccessRules.Evaluate(everythingWrong with { IsActive = true, LimitDateTo = null }, Request(), Now), 403, "ip_not_allowed");
        AssertRefused(TokenAccessRules.Evaluate(everythingWrong with { IsActive = true, LimitDateTo = null, AllowedCidrs = [] }, Request(), Now), 404, "not_in_query");
        // Only a request that passes every state and scope check reaches the count limits (the ledger's call).
        var passed = TokenAccessRules.Evaluate(everythingWrong with { IsActive = true, LimitDateTo = null, AllowedCidrs = [], PackageQuery = null }, Request(), Now);
        Assert.True(passed.IsAllowed);
        AssertRefused(TokenAccessRules.Admit(Counters() with { LimitDownloads = 1, Downloads = 1 }, passed.Claim, NewClient), "download_limit");
    }
}
