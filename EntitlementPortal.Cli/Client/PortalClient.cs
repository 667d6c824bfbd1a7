using System.Net.Http.Json;
using System.Text.Json;
using EntitlementPortal.Cli.Client.Models;

namespace EntitlementPortal.Cli.Client;

/// <summary>
/// The management API over HTTP: typed requests and answers, API-key authentication, and the two ways a call can
/// fail (refused: <see cref="ApiProblemException"/>; not reached: <see cref="PortalUnreachableException"/>).
/// </summary>
public sealed class PortalClient(HttpClient http, TimeSpan requestTimeout) : IDisposable
{
    private const string Api = "api/v1";

    /// <summary>How long a plain call may take; uploads and exports run as long as bytes flow.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);

    public Uri BaseAddress => http.BaseAddress!;

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken ct) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, $"{Api}/{path}"), ct);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken ct) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, $"{Api}/{path}") { Content = Json(body) }, ct);

    public Task<ApiResult<T>> PatchAsync<T>(string path, object body, IEnumerable<string> clearedFields, CancellationToken ct)
    {
        // PATCH sets only the fields present and a present null clears a limit: send the given values, plus an
        // explicit null for each field the caller asked to clear.
        var patch = JsonSerializer.SerializeToNode(body, body.GetType(), ApiJson.Options)!.AsObject();
        foreach (var field in clearedFields)
        {
            patch[field] = null;
        }
        return SendAsync<T>(new HttpRequestMessage(HttpMethod.Patch, $"{Api}/{path}") { Content = JsonContent.Create(patch, options: ApiJson.Options) }, ct);
    }

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(requestTimeout);
        try
        {
            using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Api}/{path}"), HttpCompletionOption.ResponseContentRead, timeout.Token);
            await EnsureSuccessAsync(response, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new PortalUnreachableException($"The portal at {BaseAddress} did not answer within {requestTimeout.TotalSeconds:0} s.", ex);
        }
    }

    public async Task<ApiResult<T>> SendMultipartAsync<T>(HttpMethod method, string path, MultipartFormDataContent form, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{Api}/{path}") { Content = form };
        return await SendAsync<T>(request, ct, bounded: false);
    }

    /// <summary>A JSON body to a route whose answer is not the management API's (npm's publish route).</summary>
    public async Task PutJsonAsync(string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Api}/{path}") { Content = Json(body) };
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>A multipart upload to a route that answers in plain text (the native clients' publish routes).</summary>
    public async Task SendMultipartAsync(HttpMethod method, string path, MultipartFormDataContent form, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{Api}/{path}") { Content = form };
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Streams a GET's body into <paramref name="destination"/> as it arrives; returns the bytes copied.</summary>
    public async Task<long> DownloadAsync(string path, Stream destination, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, $"{Api}/{path}"), HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var before = destination.CanSeek ? destination.Position : 0;
        try
        {
            await body.CopyToAsync(destination, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            throw new PortalUnreachableException($"The connection to {BaseAddress} broke off during the transfer: {ex.Message}", ex);
        }
        return destination.CanSeek ? destination.Position - before : 0;
    }

    /// <summary>Streams a GET's text body to <paramref name="destination"/> as it arrives (an export to stdout).</summary>
    public async Task DownloadTextAsync(string path, TextWriter destination, CancellationToken ct)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, $"{Api}/{path}"), HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var buffer = new char[16384];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, ct)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            throw new PortalUnreachableException($"The connection to {BaseAddress} broke off during the transfer: {ex.Message}", ex);
        }
        await destination.FlushAsync(ct);
    }

    private static JsonContent? Json(object? body) =>
        body is null ? null : JsonContent.Create(body, body.GetType(), options: ApiJson.Options);

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken ct, bool bounded = true)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (bounded)
        {
            timeout.CancelAfter(requestTimeout);
        }
        try
        {
            return await ReadAsync<T>(request, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new PortalUnreachableException($"The portal at {BaseAddress} did not answer within {requestTimeout.TotalSeconds:0} s.", ex);
        }
    }

    private async Task<ApiResult<T>> ReadAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        using (var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct))
        {
            await EnsureSuccessAsync(response, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            try
            {
                var json = JsonSerializer.Deserialize<JsonElement>(text);
                var value = json.Deserialize<T>(ApiJson.Options)
                    ?? throw new JsonException("empty body");
                return new ApiResult<T>(value, json);
            }
            catch (JsonException)
            {
                throw new ApiProblemException((int)response.StatusCode,
                    $"{BaseAddress} answered {request.RequestUri} with something that is not the management API's JSON; check the portal URL.",
                    new Dictionary<string, string[]>());
            }
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new PortalUnreachableException($"Cannot reach the portal at {BaseAddress}: {ex.Message}", ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiProblemException.ReadAsync(response, ct);
        }
    }

    public void Dispose() => http.Dispose();
}
