using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Features.ApiKeys;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// The app on real Kestrel (real HTTP, real client addresses) with a bootstrap administrator that has a known
/// API key, as an automated deployment would.
/// </summary>
public sealed class ApiAppFactory : KestrelPortalFactory
{
    public const string AdminEmail = "ops@example.com";
    public const string AdminPassword = "B00tstrap-secret!";
    public const string AdminApiKey = "bootstrap-api-key-for-tests-0123456789";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ApiAppFactory()
    {
        Settings["Bootstrap:AdminEmail"] = AdminEmail;
        Settings["Bootstrap:AdminPassword"] = AdminPassword;
        Settings["Bootstrap:AdminApiKey"] = AdminApiKey;
    }

    public HttpClient CreateApiClient(string? apiKey = AdminApiKey)
    {
        var client = CreatePortalClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        return client;
    }

    /// <summary>Creates a user with the given roles and returns a fresh API key of theirs.</summary>
    public async Task<string> CreateUserWithKeyAsync(string email, params string[] roles)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, "Us3r-password!")).Succeeded);
        foreach (var role in roles)
        {
            await users.AddToRoleAsync(user, role);
        }
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .CreateAsync(new Actor(principal, "127.0.0.1"), new CreateApiKeyInput { Name = "test key" });
        return created.Secret;
    }
}

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 problem with the status, and returns its JSON for further checks.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    public static string[] ErrorsFor(this JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsync(url, JsonContent.Create(body));
}
