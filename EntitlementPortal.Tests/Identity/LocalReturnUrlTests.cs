using EntitlementPortal.Components.Account;

namespace EntitlementPortal.Tests.Identity;

/// <summary>Which return URLs sign-in, registration and sign-out follow: paths of this site only.</summary>
public sealed class LocalReturnUrlTests
{
    private static readonly Uri Site = new("http://portal.example:8080/");

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("http://evil.example")]
    [InlineData("//evil.example/")]
    [InlineData("///evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("https:evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("%252F%252Fevil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("javascript%3Aalert(1)")]
    [InlineData(" //evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("http://portal.example:8080.evil.example/")]
    [InlineData("http://portal.example:9090/customers")]
    [InlineData("https://portal.example:8080/customers")]
    public void Foreign_or_disguised_return_urls_go_to_the_start_page(string returnUrl)
    {
        Assert.Equal("", LocalReturnUrl.ToBaseRelative(returnUrl, Site));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("customers", "customers")]
    [InlineData("/customers?page=2", "customers?page=2")]
    [InlineData("/audit?from=2026-01-01T00:00:00Z", "audit?from=2026-01-01T00:00:00Z")]
    [InlineData("/customers?search=acme%20corp", "customers?search=acme%20corp")]
    [InlineData("/packages?next=https%3A%2F%2Fevil.example", "packages?next=https%3A%2F%2Fevil.example")]
    [InlineData("Account/Lockout", "Account/Lockout")]
    [InlineData("http://portal.example:8080/repositories/acme", "repositories/acme")]
    [InlineData("HTTP://PORTAL.EXAMPLE:8080/tokens", "tokens")]
    public void Paths_of_this_site_are_kept_relative_to_its_base(string? returnUrl, string expected)
    {
        Assert.Equal(expected, LocalReturnUrl.ToBaseRelative(returnUrl, Site));
    }

    [Theory]
    [InlineData("/portal/customers", "customers")]
    [InlineData("/customers", "")]
    [InlineData("http://portal.example:8080/portal/tokens", "tokens")]
    public void Under_a_path_base_only_paths_below_it_are_kept(string returnUrl, string expected)
    {
        Assert.Equal(expected, LocalReturnUrl.ToBaseRelative(returnUrl, new Uri("http://portal.example:8080/portal/")));
    }
}
