using System.Buffers.Text;
using System.Security.Cryptography;

namespace EntitlementPortal.Hosting;

/// <summary>
/// The Content-Security-Policy nonce of one response: made when a page first asks for it (the import map in
/// App.razor, the API reference's scripts), and then named in that response's policy by <see cref="SecurityHeaders"/>.
/// Responses that ask for none (API answers, downloads, static files) carry a policy without one.
/// </summary>
public static class CspNonce
{
    private static readonly object ItemKey = new();

    public static string For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var existing) && existing is string nonce)
        {
            return nonce;
        }
        // 128 random bits per response, as CSP Level 3 asks; base64url, so HTML encoding leaves the attribute as it is.
        nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        context.Items[ItemKey] = nonce;
        return nonce;
    }

    /// <summary>The nonce this response handed out, if any.</summary>
    public static string? Issued(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) ? value as string : null;
}
