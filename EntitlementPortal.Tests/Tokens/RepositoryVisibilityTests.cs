using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Tokens;

public sealed class RepositoryVisibilityTests : TokenServiceTestBase
{
    private RepositoryService Repositories => Services.GetRequiredService<RepositoryService>();

    private static RepositoryInput Public(string slug) => new() { Slug = slug, Name = slug, Visibility = RepositoryVisibility.Public };

    [Fact]
    public async Task Repository_counts_its_active_tokens()
    {
        await CreateAsync(name: "On");
        await CreateAsync(name: "Off", active: false);

        Assert.Equal(1, (await Repositories.GetAsync(TestDatabase.Administrator, "alpha", Ct)).ActiveTokenCount);
    }

    [Fact]
    public async Task Going_public_with_active_tokens_needs_confirmation_and_then_disables_them()
    {
        var token = await CreateAsync(name: "Live");

        var ask = await Assert.ThrowsAsync<ConfirmationRequiredException>(() => Repositories.UpdateAsync(TestDatabase.Administrator, "alpha", Public("alpha"), Ct));
        Assert.Contains("1 active token", ask.Message);
        Assert.Equal(RepositoryVisibility.Private, (await Repositories.GetAsync(TestDatabase.Administrator, "alpha", Ct)).Visibility);

        var updated = await Repositories.UpdateAsync(TestDatabase.Administrator, "alpha", Public("alpha"), confirmDisablingTokens: true, Ct);

        Assert.Equal(RepositoryVisibility.Public, updated.Visibility);
        Assert.Equal(0, updated.ActiveTokenCount);
        await using var db = Database.OpenContext();
        Assert.False(db.Set<EntitlementPortal.Features.Tokens.EntitlementToken>().Single(t => t.Id == token.Id).IsActive);
        Assert.Contains(db.Set<EntitlementPortal.Features.Audit.AuditEntry>(), e => e.EntityId == "alpha" && e.Summary.Contains("; 1 token disabled"));
    }

    [Fact]
    public async Task Going_public_without_active_tokens_needs_no_confirmation()
    {
        await CreateAsync(name: "Off", active: false);

        var updated = await Repositories.UpdateAsync(TestDatabase.Administrator, "alpha", Public("alpha"), Ct);

        Assert.Equal(RepositoryVisibility.Public, updated.Visibility);
    }
}
