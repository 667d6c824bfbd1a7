using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Shared;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>Webhook subscriptions, for the Webhooks page and the API alike. Administrators only.</summary>
public sealed class WebhookSubscriptions(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<WebhookInput> validator,
    WebhookTargets targets,
    WebhookSecrets secrets,
    AuditTrail audit,
    TimeProvider clock)
{
    public async Task<PagedResult<WebhookView>> ListAsync(Actor actor, PageRequest page, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscriptions = db.Set<WebhookSubscription>().AsNoTracking();
        if (page.SearchTerm is { } term)
        {
            subscriptions = subscriptions.Where(s => EF.Functions.Like(s.Url, TextSearch.ContainsPattern(term), TextSearch.Escape));
        }
        var total = await subscriptions.CountAsync(cancellationToken);
        var items = await Views(subscriptions.OrderBy(s => s.Id).Skip(page.Skip).Take(page.SafePageSize)).ToListAsync(cancellationToken);
        return new PagedResult<WebhookView>(items.Select(Split).ToList(), total);
    }

    public async Task<WebhookView> GetAsync(Actor actor, int id, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindViewAsync(db, id, cancellationToken);
    }

    public async Task<WebhookView> CreateAsync(Actor actor, WebhookInput input, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        var wanted = Normalized(input);
        if (wanted.Secret is null)
        {
            throw Invalid(nameof(WebhookInput.Secret), "Secret is required: receivers check every delivery's signature with it.");
        }
        await EnsureValidAsync(wanted, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var subscription = new WebhookSubscription
        {
            Url = wanted.Url,
            Events = WebhookEventNames.Join(wanted.Events),
            SecretCipher = secrets.Protect(wanted.Secret),
            IsActive = wanted.IsActive,
            RepositoryId = await RepositoryIdAsync(db, wanted.Repo, cancellationToken),
            CreatedAt = now,
            UpdatedAt = now,
        };
        // The audit entry names the new id, so the row is written first; one transaction keeps both or neither.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Add(subscription);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Webhook, subscription.Id.ToString(),
                $"Created webhook {subscription.Id} to {subscription.Url} for {Describe(wanted)}.");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await FindViewAsync(db, subscription.Id, cancellationToken);
    }

    public async Task<WebhookView> UpdateAsync(Actor actor, int id, WebhookInput input, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        var wanted = Normalized(input);
        await EnsureValidAsync(wanted, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Set<WebhookSubscription>().FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw NotFound(id);
        subscription.Url = wanted.Url;
        subscription.Events = WebhookEventNames.Join(wanted.Events);
        subscription.IsActive = wanted.IsActive;
        subscription.RepositoryId = await RepositoryIdAsync(db, wanted.Repo, cancellationToken);
        if (wanted.Secret is not null)
        {
            subscription.SecretCipher = secrets.Protect(wanted.Secret);
        }
        var changes = AuditTrail.DescribeChanges(db.Entry(subscription));
        if (db.Entry(subscription).Properties.Any(p => p.IsModified))
        {
            subscription.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Webhook, id.ToString(),
                $"Webhook {id}: {changes}{(wanted.Secret is null ? "" : "; a new secret was set")}.");
            await db.SaveChangesAsync(cancellationToken);
        }
        return await FindViewAsync(db, id, cancellationToken);
    }

    /// <summary>Deletes the subscription with its delivery history; deliveries not yet sent are never sent.</summary>
    public async Task DeleteAsync(Actor actor, int id, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ManageWebhooks);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscription = await db.Set<WebhookSubscription>().FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw NotFound(id);
        db.Remove(subscription);
        audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Webhook, id.ToString(),
            $"Deleted webhook {id} to {subscription.Url} with its delivery history.");
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static NotFoundException NotFound(int id) => new($"Webhook {id}");

    private async Task EnsureValidAsync(WebhookInput wanted, CancellationToken cancellationToken)
    {
        await validator.EnsureValidAsync(wanted, cancellationToken);
        if (await targets.RefusalAsync(wanted.Url, cancellationToken) is { } refusal)
        {
            throw Invalid(nameof(WebhookInput.Url), refusal);
        }
    }

    private static async Task<int?> RepositoryIdAsync(AppDbContext db, string? slug, CancellationToken cancellationToken)
    {
        if (slug is null)
        {
            return null;
        }
        return await db.Set<Repository>().Where(r => r.Slug == slug).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw Invalid(nameof(WebhookInput.Repo), $"Repository '{slug}' does not exist.");
    }

    private static WebhookInput Normalized(WebhookInput input) => new()
    {
        Url = input.Url?.Trim() ?? "",
        Events = (input.Events ?? []).Select(e => e?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList(),
        Secret = input.Secret,
        IsActive = input.IsActive,
        Repo = string.IsNullOrWhiteSpace(input.Repo) ? null : input.Repo.Trim(),
    };

    private static string Describe(WebhookInput input) =>
        $"{string.Join(", ", input.Events)}{(input.Repo is null ? "" : $" in {input.Repo}")}{(input.IsActive ? "" : " (inactive)")}";

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);

    private static async Task<WebhookView> FindViewAsync(AppDbContext db, int id, CancellationToken cancellationToken)
    {
        var row = await Views(db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.Id == id)).FirstOrDefaultAsync(cancellationToken)
            ?? throw NotFound(id);
        return Split(row);
    }

    private static IQueryable<StoredView> Views(IQueryable<WebhookSubscription> subscriptions) =>
        subscriptions.Select(s => new StoredView(s.Id, s.Url, s.Events, s.IsActive, s.Repository == null ? null : s.Repository.Slug,
            s.CreatedAt, s.UpdatedAt,
            s.Deliveries.OrderByDescending(d => d.CreatedAt).Select(d => (WebhookDeliveryStatus?)d.Status).FirstOrDefault(),
            s.Deliveries.Max(d => (DateTime?)d.CreatedAt)));

    private static WebhookView Split(StoredView s) =>
        new(s.Id, s.Url, WebhookEventNames.Split(s.Events), s.IsActive, s.Repo, s.CreatedAt, s.UpdatedAt, s.LastStatus, s.LastAt);

    private sealed record StoredView(int Id, string Url, string Events, bool IsActive, string? Repo, DateTime CreatedAt,
        DateTime UpdatedAt, WebhookDeliveryStatus? LastStatus, DateTime? LastAt);
}
