using EntitlementPortal.Data;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;

namespace EntitlementPortal.Tests.Downloads;

/// <summary>The ids of what <see cref="FilterChoiceRows.AddAsync"/> stored.</summary>
public sealed record FilterChoiceIds(int Acme, int Beta, int AcmeCi, int BetaCi, int RetiredCi, int AdasUserToken, string Ada, string Bob);

/// <summary>Customers, tokens and people written straight into the app's real database, for the Downloads page's pickers.</summary>
public static class FilterChoiceRows
{
    public static async Task<FilterChoiceIds> AddAsync(AppDbContext db)
    {
        var acmeRepo = new Repository { Slug = "acme", Name = "Acme" };
        var betaRepo = new Repository { Slug = "beta", Name = "Beta" };
        var acme = new Customer { Name = "Acme Ltd" };
        var beta = new Customer { Name = "Beta GmbH" };
        var ada = User("ada@example.com", "Ada Lovelace");
        var bob = User("bob@example.com", null);
        db.AddRange(acmeRepo, betaRepo, acme, beta, ada, bob);
        await db.SaveChangesAsync();

        var acmeCi = Token("Acme CI", acmeRepo, acme);
        var betaCi = Token("Beta CI", betaRepo, beta);
        var retired = Token("Retired CI", acmeRepo, acme);
        retired.IsDeleted = true;
        retired.DeletedAt = DateTime.UtcNow;
        var adas = Token("ada@example.com", acmeRepo, null);
        adas.Kind = TokenKind.User;
        adas.UserId = ada.Id;
        db.AddRange(acmeCi, betaCi, retired, adas);
        await db.SaveChangesAsync();
        return new FilterChoiceIds(acme.Id, beta.Id, acmeCi.Id, betaCi.Id, retired.Id, adas.Id, ada.Id, bob.Id);
    }

    private static ApplicationUser User(string email, string? name) => new()
    {
        UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
        Name = name, SecurityStamp = Guid.NewGuid().ToString(),
    };

    private static EntitlementToken Token(string name, Repository repository, Customer? customer) => new()
    {
        Name = name, RepositoryId = repository.Id, CustomerId = customer?.Id,
        // Never used to download here: distinct placeholders satisfy the unique digest.
        SecretDigest = "digest-" + Guid.NewGuid(), SecretCiphertext = "ciphertext", SecretHint = "tok_…",
    };
}
