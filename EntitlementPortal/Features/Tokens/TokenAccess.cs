using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Features.Tokens;

/// <summary>Who may do what with a repository's standard tokens, and whether the secret may be shown to them.</summary>
public sealed class TokenAccess(PermissionCheck permissions, TokenSecretProtector secrets)
{
    /// <summary>The repository's standings for the actor, once they allow <paramref name="permission"/> (else 404/403).</summary>
    public async Task<RepositoryStandings> EnsureAsync(Actor actor, string repo, Permission permission, CancellationToken cancellationToken)
    {
        var standings = await permissions.InRepositoryAsync(actor, repo, cancellationToken);
        standings.Ensure(permission);
        return standings;
    }

    public string? SecretFor(RepositoryStandings standings, EntitlementToken token) =>
        standings.Allows(Permission.RevealTokenSecrets) ? secrets.Reveal(token.SecretCiphertext) : null;

    /// <summary>Naming a customer on a token shows who the customer is: only for those who may see customers.</summary>
    public static void EnsureMayAttachCustomer(Actor actor, int? customerId, int? currentCustomerId = null)
    {
        if (customerId is not null && customerId != currentCustomerId)
        {
            PermissionCheck.Ensure(actor, Permission.ViewCustomers);
        }
    }
}
