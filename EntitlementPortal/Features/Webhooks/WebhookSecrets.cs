using Microsoft.AspNetCore.DataProtection;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>Subscription secrets at rest: a Data Protection ciphertext, since signing needs the secret back.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector protector = dataProtection.CreateProtector("EntitlementPortal.WebhookSecret.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Reveal(string cipher) => protector.Unprotect(cipher);
}
