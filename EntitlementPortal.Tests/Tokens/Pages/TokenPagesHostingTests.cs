using System.Net;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens.Pages;

/// <summary>The token pages in the real app: routing, policies and services wired as in production.</summary>
public sealed class TokenPagesHostingTests : IAsyncDisposable
{
    private const string Email = "ops@example.com";
    private const string Password = "B00tstrap-secret!";
    private readonly PortalAppFactory app = new()
    {
        Settings =
        {
            ["Bootstrap:AdminEmail"] = Email,
            ["Bootstrap:AdminPassword"] = Password,
            ["Plan:MaxActiveTokens"] = "10",
        },
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_in_administrator_gets_the_tokens_page_and_a_token_page()
    {
        TokenView token;
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<RepositoryService>().CreateAsync(
                Actor.System, new RepositoryInput { Slug = "acme", Name = "Acme builds" }, Ct);
            var customer = await scope.ServiceProvider.GetRequiredService<CustomerService>().CreateAsync(
                Actor.System, new CustomerInput { Name = "Acme Ltd" }, Ct);
            token = await scope.ServiceProvider.GetRequiredService<TokenEditor>().CreateAsync(
                Actor.System, "acme", new TokenInput { Name = "Acme CI", CustomerId = customer.Id, LimitDownloads = 50 }, Ct);
        }
        var client = AccountSession.CreateClient(app);
        await AccountSession.SignInAsync(client, Email, Password);

        var list = await client.GetAsync("/tokens", Ct);
        var detail = WebUtility.HtmlDecode(await client.GetStringAsync($"/repositories/acme/tokens/{token.Id}", Ct));
        var missing = await client.GetStringAsync("/repositories/acme/tokens/999999", Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listHtml = await list.Content.ReadAsStringAsync(Ct);
        Assert.Contains("1 of 10 active tokens", listHtml);
        Assert.Contains("Acme CI", detail);
        Assert.Contains("Acme Ltd", detail);
        Assert.Contains("at most 50 downloads", detail);
        Assert.Contains(token.SecretHint, detail);
        Assert.DoesNotContain(token.Token!, detail);
        Assert.Contains("There is no token 999999", missing);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
