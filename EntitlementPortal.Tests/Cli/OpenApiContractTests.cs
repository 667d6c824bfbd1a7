using System.Reflection;
using System.Text.Json;
using EntitlementPortal.Cli.Client.Models;
using EntitlementPortal.Tests.Downloads;

namespace EntitlementPortal.Tests.Cli;

/// <summary>
/// The CLI's typed client is checked against the portal's own /openapi/v1.json: every field a DTO sends or reads,
/// and every query parameter a filter sends, must exist in the operation's schema, so a renamed or removed API field
/// fails here rather than in a customer's release pipeline.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OpenApiContractTests(DownloadApp portal)
{
    private enum Part { Request, Response, Query }

    private static readonly (Type Dto, string Method, string Path, Part Part)[] Contract =
    [
        (typeof(Page<RepositoryView>), "get", "/api/v1/repos", Part.Response),
        (typeof(RepositoryView), "get", "/api/v1/repos/{repo}", Part.Response),
        (typeof(RepositoryCreateRequest), "post", "/api/v1/repos", Part.Request),
        (typeof(Page<CustomerView>), "get", "/api/v1/customers", Part.Response),
        (typeof(CustomerView), "get", "/api/v1/customers/{id}", Part.Response),
        (typeof(CustomerCreateRequest), "post", "/api/v1/customers", Part.Request),
        (typeof(Page<TokenView>), "get", "/api/v1/repos/{repo}/entitlements", Part.Response),
        (typeof(TokenView), "get", "/api/v1/repos/{repo}/entitlements/{id}", Part.Response),
        (typeof(TokenCreateRequest), "post", "/api/v1/repos/{repo}/entitlements", Part.Request),
        (typeof(TokenView), "post", "/api/v1/repos/{repo}/entitlements/{id}/disable", Part.Response),
        (typeof(TokenRefreshRequest), "post", "/api/v1/repos/{repo}/entitlements/{id}/refresh", Part.Request),
        (typeof(TokenView), "post", "/api/v1/repos/{repo}/entitlements/{id}/refresh", Part.Response),
        (typeof(TokenSyncRequest), "post", "/api/v1/repos/{repo}/entitlements/sync", Part.Request),
        (typeof(TokenSyncResult), "post", "/api/v1/repos/{repo}/entitlements/sync", Part.Response),
        (typeof(TokenUsage), "get", "/api/v1/repos/{repo}/entitlements/{id}/usage", Part.Response),
        (typeof(Page<PackageView>), "get", "/api/v1/repos/{repo}/packages", Part.Response),
        (typeof(PackageView), "post", "/api/v1/repos/{repo}/packages", Part.Response),
        (typeof(Page<DownloadEventView>), "get", "/api/v1/downloads", Part.Response),
        (typeof(DownloadFilter), "get", "/api/v1/downloads", Part.Query),
        (typeof(DownloadFilter), "get", "/api/v1/downloads/export", Part.Query),
        (typeof(Page<AuditEntryView>), "get", "/api/v1/audit", Part.Response),
        (typeof(AuditFilter), "get", "/api/v1/audit", Part.Query),
    ];

    /// <summary>
    /// PATCH bodies are bound as a raw JSON object (only the fields sent change) and merged into the create input, so
    /// the document shows JsonObject there: a patch is checked against the input it is merged into.
    /// </summary>
    private static readonly (Type Dto, string Schema)[] NamedSchemas =
    [
        (typeof(RepositoryUpdateRequest), "RepositoryInput"),
        (typeof(CustomerUpdateRequest), "CustomerInput"),
        (typeof(TokenUpdateRequest), "TokenInput"),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_field_the_cli_sends_or_reads_exists_in_the_openapi_document()
    {
        using var http = new HttpClient { BaseAddress = portal.App.RootUri };
        var document = JsonSerializer.Deserialize<JsonElement>(await http.GetStringAsync("/openapi/v1.json", Ct));
        var missing = new List<string>();

        foreach (var (dto, method, path, part) in Contract)
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
            var where = $"{method.ToUpperInvariant()} {path} {part}";
            if (part == Part.Query)
            {
                // Query binding ignores case, and [AsParameters] classes appear in the document as "Repo", "TokenId".
                var parameters = operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString())
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                missing.AddRange(JsonNames(dto).Where(n => !parameters.Contains(n)).Select(n => $"{where}: {n}"));
                continue;
            }
            var schema = part == Part.Request
                ? operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")
                : operation.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2')).Value
                    .GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Check(document, dto, schema, where, missing);
        }
        foreach (var (dto, name) in NamedSchemas)
        {
            Check(document, dto, document.GetProperty("components").GetProperty("schemas").GetProperty(name), name, missing);
        }

        Assert.True(missing.Count == 0, "Not in /openapi/v1.json:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_dto_of_the_client_is_in_the_contract_check()
    {
        var checkedTypes = Contract.Select(c => c.Dto).Concat(NamedSchemas.Select(n => n.Dto))
            .SelectMany(t => t.IsGenericType ? t.GetGenericArguments().Append(t.GetGenericTypeDefinition()) : [t])
            .SelectMany(t => new[] { t }.Concat(NestedDtos(t)))
            .ToHashSet();
        var dtos = typeof(TokenView).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(TokenView).Namespace && t.IsPublic);

        Assert.Empty(dtos.Where(t => !checkedTypes.Contains(t)).Select(t => t.Name));
    }

    private static void Check(JsonElement document, Type dto, JsonElement schema, string where, List<string> missing)
    {
        var properties = Properties(document, schema);
        foreach (var property in dto.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonName(property);
            if (!properties.TryGetValue(name, out var propertySchema))
            {
                missing.Add($"{where}: {dto.Name}.{name}");
                continue;
            }
            if (DtoOf(property.PropertyType) is { } nested)
            {
                Check(document, nested, Items(document, propertySchema), $"{where} {name}", missing);
            }
        }
    }

    private static IEnumerable<Type> NestedDtos(Type type) =>
        type.GetProperties().Select(p => DtoOf(p.PropertyType)).OfType<Type>().SelectMany(t => new[] { t }.Concat(NestedDtos(t)));

    /// <summary>A property's type when it is (a list of) one of the client's records.</summary>
    private static Type? DtoOf(Type type)
    {
        var element = Nullable.GetUnderlyingType(type) ?? type;
        if (element.IsGenericType && element.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            element = element.GetGenericArguments()[0];
        }
        return element.Namespace == typeof(TokenView).Namespace ? element : null;
    }

    private static IEnumerable<string> JsonNames(Type dto) => dto.GetProperties().Select(JsonName);

    private static string JsonName(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return Resolve(document, document.GetProperty("components").GetProperty("schemas").GetProperty(name));
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                foreach (var option in options.EnumerateArray())
                {
                    var resolved = Resolve(document, option);
                    if (resolved.TryGetProperty("properties", out _) || resolved.TryGetProperty("items", out _))
                    {
                        return resolved;
                    }
                }
            }
        }
        return schema;
    }

    private static JsonElement Items(JsonElement document, JsonElement schema)
    {
        var resolved = Resolve(document, schema);
        return resolved.TryGetProperty("items", out var items) ? Resolve(document, items) : resolved;
    }

    private static Dictionary<string, JsonElement> Properties(JsonElement document, JsonElement schema)
    {
        var resolved = Resolve(document, schema);
        return resolved.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value)
            : [];
    }
}
