using System.Text.Json;

namespace EntitlementPortal.Cli.Client;

/// <summary>
/// A typed answer together with the JSON it came from: tables read <see cref="Value"/>, <c>--output json</c> prints
/// <see cref="Json"/> so scripts see every field under the API's own names, including ones this CLI does not model.
/// </summary>
public sealed record ApiResult<T>(T Value, JsonElement Json);
