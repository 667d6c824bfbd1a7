using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Permissions;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Identity;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Customers;

/// <summary>Customers, for the pages and the API alike.</summary>
public sealed class CustomerService(
    IDbContextFactory<AppDbContext> dbFactory,
    IValidator<CustomerInput> validator,
    AuditTrail audit,
    Webhooks.WebhookEvents webhooks,
    IOptionsMonitor<PlanOptions> plan,
    TimeProvider clock)
{
    /// <param name="subscriptionEnded">Only customers whose subscription has ended (true), or has not (false: no end date, or later).</param>
    public async Task<PagedResult<CustomerView>> ListAsync(
        Actor actor, PageRequest page, CustomerStatus? status = null, CancellationToken cancellationToken = default, bool? subscriptionEnded = null)
    {
        PermissionCheck.Ensure(actor, Permission.ViewCustomers);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = db.Set<Customer>().AsNoTracking();
        if (status is { } only)
        {
            customers = customers.Where(c => c.Status == only);
        }
        if (subscriptionEnded is { } ended)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            customers = ended
                ? customers.Where(c => c.SubscriptionEndsAt != null && c.SubscriptionEndsAt <= now)
                : customers.Where(c => c.SubscriptionEndsAt == null || c.SubscriptionEndsAt > now);
        }
        if (page.SearchTerm is { } term)
        {
            var pattern = TextSearch.ContainsPattern(term);
            customers = customers.Where(c =>
                EF.Functions.Like(c.Name, pattern, TextSearch.Escape)
                || EF.Functions.Like(c.Email!, pattern, TextSearch.Escape)
                || EF.Functions.Like(c.Company!, pattern, TextSearch.Escape)
                || EF.Functions.Like(c.ExternalRef!, pattern, TextSearch.Escape));
        }

        var total = await customers.CountAsync(cancellationToken);
        var items = await Sort(customers, page).Skip(page.Skip).Take(page.SafePageSize).Select(ToView).ToListAsync(cancellationToken);
        return new PagedResult<CustomerView>(items, total);
    }

    public async Task<CustomerView> GetAsync(Actor actor, int id, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.ViewCustomers);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Customer>().AsNoTracking().Where(c => c.Id == id).Select(ToView).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Customer {id}");
    }

    public async Task<CustomerView> CreateAsync(Actor actor, CustomerInput input, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.CreateCustomer);
        Normalize(input);
        await validator.EnsureValidAsync(input, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await EnsureReferenceFreeAsync(db, input.ExternalRef, exceptId: null, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var customer = new Customer { Name = input.Name, CreatedAt = now, UpdatedAt = now };
        Apply(customer, input);
        db.Add(customer);

        // The audit entry names the new id, which exists only after the first save: one transaction for both.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SaveAsync(db, input, cancellationToken);
        audit.Record(db, actor, AuditActions.Create, AuditEntityTypes.Customer, customer.Id.ToString(),
            $"Created customer '{customer.Name}'{(customer.ExternalRef is null ? "" : $" (ref {customer.ExternalRef})")}.");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(actor, customer.Id, cancellationToken);
    }

    public async Task<CustomerView> UpdateAsync(Actor actor, int id, CustomerInput input, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.EditCustomer);
        Normalize(input);
        await validator.EnsureValidAsync(input, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await FindAsync(db, id, cancellationToken);
        await EnsureReferenceFreeAsync(db, input.ExternalRef, exceptId: id, cancellationToken);
        Apply(customer, input);

        if (db.ChangeTracker.HasChanges())
        {
            var changes = AuditTrail.DescribeChanges(db.Entry(customer));
            customer.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, actor, AuditActions.Update, AuditEntityTypes.Customer, id.ToString(), $"'{customer.Name}': {changes}");
            await SaveAsync(db, input, cancellationToken);
        }
        return await GetAsync(actor, id, cancellationToken);
    }

    public async Task DeleteAsync(Actor actor, int id, CancellationToken cancellationToken = default)
    {
        PermissionCheck.Ensure(actor, Permission.EditCustomer);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await FindAsync(db, id, cancellationToken);
        db.Remove(customer);
        audit.Record(db, actor, AuditActions.Delete, AuditEntityTypes.Customer, id.ToString(), $"Deleted customer '{customer.Name}'.");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Cuts the customer off (a lapsed subscription): every token of theirs stops working.</summary>
    public Task<CustomerView> RevokeAsync(Actor actor, int id, CancellationToken cancellationToken = default) =>
        SetStatusAsync(actor, id, CustomerStatus.Revoked, cancellationToken);

    public Task<CustomerView> ReinstateAsync(Actor actor, int id, CancellationToken cancellationToken = default) =>
        SetStatusAsync(actor, id, CustomerStatus.Active, cancellationToken);

    private async Task<CustomerView> SetStatusAsync(Actor actor, int id, CustomerStatus status, CancellationToken cancellationToken)
    {
        PermissionCheck.Ensure(actor, Permission.RevokeCustomer);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await FindAsync(db, id, cancellationToken);
        if (customer.Status != status)
        {
            // The tokens change with the status in one transaction; reinstating holds the plan allowance in it, so
            // it cannot race a token create or enable, on this instance or another, for the plan's last places.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            customer.Status = status;
            customer.RevokedAt = status == CustomerStatus.Revoked ? now : null;
            customer.UpdatedAt = now;
            var revoked = status == CustomerStatus.Revoked;
            var tokenCount = revoked
                ? await TokensOfCustomer.SuspendAsync(db, audit, webhooks, actor, id, now, cancellationToken)
                : await TokensOfCustomer.ResumeAsync(db, audit, webhooks, PlanAllowance.From(plan.CurrentValue), actor, id, now, cancellationToken);
            audit.Record(db, actor, revoked ? AuditActions.Revoke : AuditActions.Reinstate, AuditEntityTypes.Customer, id.ToString(),
                revoked
                    ? $"Revoked customer '{customer.Name}': {TokenDisplay.Count(tokenCount, "active token")} disabled; every token of theirs is refused."
                    : $"Reinstated customer '{customer.Name}': {TokenDisplay.Count(tokenCount, "token")} enabled again.");
            await webhooks.RaiseAsync(db, revoked ? Webhooks.WebhookEventNames.CustomerRevoked : Webhooks.WebhookEventNames.CustomerReinstated,
                repositoryId: null, Webhooks.WebhookData.Customer(customer), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await GetAsync(actor, id, cancellationToken);
    }

    private static async Task<Customer> FindAsync(AppDbContext db, int id, CancellationToken cancellationToken) =>
        await db.Set<Customer>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
        ?? throw new NotFoundException($"Customer {id}");

    private static async Task EnsureReferenceFreeAsync(AppDbContext db, string? reference, int? exceptId, CancellationToken cancellationToken)
    {
        if (reference is not null
            && await db.Set<Customer>().AnyAsync(c => c.ExternalRef == reference && c.Id != exceptId, cancellationToken))
        {
            throw DuplicateReference(reference);
        }
    }

    private static async Task SaveAsync(AppDbContext db, CustomerInput input, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (input.ExternalRef is not null && DatabaseErrors.IsUniqueViolation(ex))
        {
            // Lost a race past EnsureReferenceFreeAsync: the unique index decided.
            throw DuplicateReference(input.ExternalRef);
        }
    }

    private static ConflictException DuplicateReference(string reference) =>
        new(nameof(CustomerInput.ExternalRef), $"Another customer already has the external reference '{reference}'.");

    private static void Apply(Customer customer, CustomerInput input)
    {
        customer.Name = input.Name;
        customer.Email = input.Email;
        customer.Company = input.Company;
        customer.ExternalRef = input.ExternalRef;
        customer.LicenseKey = input.LicenseKey;
        customer.Plan = input.Plan;
        customer.SubscriptionEndsAt = input.SubscriptionEndsAt;
        customer.Notes = input.Notes;
        customer.MetadataJson = JsonMetadata.Normalize(input.MetadataJson);
    }

    private static void Normalize(CustomerInput input)
    {
        static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        input.Name = (input.Name ?? "").Trim();
        input.Email = Clean(input.Email);
        input.Company = Clean(input.Company);
        input.ExternalRef = Clean(input.ExternalRef);
        input.LicenseKey = Clean(input.LicenseKey);
        input.Plan = Clean(input.Plan);
        input.Notes = Clean(input.Notes);
        input.MetadataJson = Clean(input.MetadataJson);
        if (input.SubscriptionEndsAt is { } ends)
        {
            input.SubscriptionEndsAt = ends.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(ends, DateTimeKind.Utc) : ends.ToUniversalTime();
        }
    }

    private static IQueryable<Customer> Sort(IQueryable<Customer> customers, PageRequest page) =>
        page.SortBy?.ToLowerInvariant() switch
        {
            "company" => page.Descending ? customers.OrderByDescending(c => c.Company) : customers.OrderBy(c => c.Company),
            "status" => page.Descending ? customers.OrderByDescending(c => c.Status) : customers.OrderBy(c => c.Status),
            "subscriptionendsat" => page.Descending ? customers.OrderByDescending(c => c.SubscriptionEndsAt) : customers.OrderBy(c => c.SubscriptionEndsAt),
            "createdat" => page.Descending ? customers.OrderByDescending(c => c.Id) : customers.OrderBy(c => c.Id),
            _ => page.Descending ? customers.OrderByDescending(c => c.Name) : customers.OrderBy(c => c.Name),
        };

    private static readonly System.Linq.Expressions.Expression<Func<Customer, CustomerView>> ToView = c => new CustomerView(
        c.Id, c.Name, c.Email, c.Company, c.ExternalRef, c.LicenseKey, c.Plan, c.SubscriptionEndsAt, c.Notes, c.MetadataJson,
        c.Status, c.RevokedAt, c.CreatedAt, c.UpdatedAt);


}
