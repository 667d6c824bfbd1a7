using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Tokens;

public sealed class TokenCreateManyTests() : TokenServiceTestBase(maxActiveTokens: 3)
{
    private static List<TokenInput> Inputs(params bool[] active) =>
        [.. active.Select((a, i) => new TokenInput { Name = $"  Batch {i} ", IsActive = a, LimitDownloads = 10 + i })];

    [Fact]
    public async Task Creates_every_token_in_order_with_generated_secrets_and_one_audit_entry_each()
    {
        var ids = await TokenEditor.CreateManyAsync(TestDatabase.Administrator, "alpha", Inputs(true, false, true), Ct);

        await using var db = Database.OpenContext();
        var tokens = await db.Set<EntitlementToken>().Where(t => ids.Contains(t.Id)).ToListAsync(Ct);
        Assert.Equal(["Batch 0", "Batch 1", "Batch 2"], ids.Select(id => tokens.Single(t => t.Id == id).Name));
        Assert.Equal([10L, 11L, 12L], ids.Select(id => tokens.Single(t => t.Id == id).LimitDownloads!.Value));
        Assert.Equal(3, tokens.Select(t => t.SecretDigest).Distinct().Count());
        Assert.All(tokens, t => Assert.False(t.IsCustomSecret));
        var audited = await db.Set<AuditEntry>().Where(e => e.EntityType == AuditEntityTypes.Token && e.Action == AuditActions.Create)
            .Select(e => e.EntityId).ToListAsync(Ct);
        Assert.Equal(ids.Select(id => id.ToString()).Order(), audited.Order());
    }

    [Fact]
    public async Task A_set_beyond_the_plan_allowance_creates_nothing()
    {
        await CreateAsync(name: "Existing");

        var refused = await Assert.ThrowsAsync<ConflictException>(
            () => TokenEditor.CreateManyAsync(TestDatabase.Administrator, "alpha", Inputs(true, true, true), Ct));

        Assert.Contains("3 more do not fit", refused.Message);
        await using var db = Database.OpenContext();
        Assert.Equal(1, await db.Set<EntitlementToken>().CountAsync(t => t.Kind == TokenKind.Standard, Ct));
        // Disabled tokens do not take places.
        Assert.Equal(3, (await TokenEditor.CreateManyAsync(TestDatabase.Administrator, "alpha", Inputs(true, true, false), Ct)).Count);
    }

    [Fact]
    public async Task An_invalid_input_or_a_custom_secret_refuses_the_whole_set()
    {
        var inputs = Inputs(false, false);
        inputs[1].LimitDownloads = 0;
        await Assert.ThrowsAsync<ValidationException>(() => TokenEditor.CreateManyAsync(TestDatabase.Administrator, "alpha", inputs, Ct));
        var custom = Inputs(false);
        custom[0].Token = "my-own-secret-0123456789";
        await Assert.ThrowsAsync<ValidationException>(() => TokenEditor.CreateManyAsync(TestDatabase.Administrator, "alpha", custom, Ct));

        await using var db = Database.OpenContext();
        Assert.Equal(0, await db.Set<EntitlementToken>().CountAsync(Ct));
    }
}
