using System.Text;
using System.Text.Json;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Customers;
using EntitlementPortal.Features.Packages;
using EntitlementPortal.Features.Repositories;
using EntitlementPortal.Features.Repositories.Privileges;
using EntitlementPortal.Features.Teams;
using EntitlementPortal.Features.Tokens;
using EntitlementPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Permissions;

/// <summary>What one matrix case acts on: a fresh private repository with its grants, a package, a token and a customer.</summary>
public sealed record MatrixTarget(int Number, string Repo, int PackageId, int TokenId, int CustomerId);

/// <summary>
/// One running app (real HTTP, real SQLite) with the matrix's people. Every case arranges its own target, so an
/// allowed change in one case never decides another.
/// </summary>
public sealed class MatrixWorld : IAsyncLifetime
{
    public const string ReadersTeam = "matrix-readers";
    private int cases;

    public ApiAppFactory App { get; } = new();

    public MatrixPeople People { get; private set; } = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        People = await MatrixPeople.CreateAsync(App.Services);
        var admin = People[Caller.Administrator].Actor;
        await Service<TeamService>().CreateAsync(admin, new TeamInput { Slug = ReadersTeam, Name = "Matrix readers" }, Ct);
        await Service<TeamService>().AddMemberAsync(admin, ReadersTeam, People[Caller.Read].UserId, Ct);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    public T Service<T>() where T : notnull => App.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    public HttpClient ClientFor(Caller caller) =>
        App.CreateApiClient(caller == Caller.Anonymous ? null : People[caller].ApiKey);

    /// <summary>A new private repository: admin, two writers and (through a team) a reader; the write owner's package; a token; a customer.</summary>
    public async Task<MatrixTarget> ArrangeAsync()
    {
        var number = Interlocked.Increment(ref cases);
        var repo = $"matrix-{number}";
        var admin = People[Caller.Administrator].Actor;
        await Service<RepositoryService>().CreateAsync(admin, new RepositoryInput { Slug = repo, Name = $"Matrix {number}" }, Ct);
        var privileges = Service<RepositoryPrivilegeService>();
        await privileges.SetUserPrivilegeAsync(admin, repo, People[Caller.RepositoryAdmin].UserId, PrivilegeInput.For(RepositoryPrivilege.Admin), Ct);
        await privileges.SetUserPrivilegeAsync(admin, repo, People[Caller.WriteOwner].UserId, PrivilegeInput.For(RepositoryPrivilege.Write), Ct);
        await privileges.SetUserPrivilegeAsync(admin, repo, People[Caller.WriteNonOwner].UserId, PrivilegeInput.For(RepositoryPrivilege.Write), Ct);
        await privileges.SetTeamPrivilegeAsync(admin, repo, ReadersTeam, PrivilegeInput.For(RepositoryPrivilege.Read), Ct);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes($"widget {number}"));
        var package = await Service<PackageUploads>().UploadAsync(
            People[Caller.WriteOwner].Actor, repo, "widget", "1.0", null, "widget.bin", content, cancellationToken: Ct);
        var token = await Service<TokenEditor>().CreateAsync(admin, repo, new TokenInput { Name = $"Token {number}" }, Ct);
        var customer = await Service<CustomerService>().CreateAsync(admin, new CustomerInput { Name = $"Customer {number}" }, Ct);
        return new MatrixTarget(number, repo, package.Id, token.Id, customer.Id);
    }

    /// <summary>Everything a permitted operation of the matrix could change, as one comparable text.</summary>
    public async Task<string> FingerprintAsync()
    {
        await using var db = await Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        var state = new
        {
            Repositories = await db.Set<Repository>().OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.Slug, r.Name, r.Description, r.Visibility, r.UserTokensEnabled, r.UpdatedAt }).ToListAsync(Ct),
            Packages = await db.Set<Package>().OrderBy(p => p.Id).Select(p => new { p.Id, p.Name, p.Version, p.Tags, Files = p.Files.Count }).ToListAsync(Ct),
            Tokens = await db.Set<EntitlementToken>().OrderBy(t => t.Id)
                .Select(t => new { t.Id, t.Name, t.IsActive, t.IsDeleted, t.SecretDigest, t.CustomerId, t.UpdatedAt }).ToListAsync(Ct),
            Customers = await db.Set<Customer>().OrderBy(c => c.Id).Select(c => new { c.Id, c.Name, c.Notes, c.Status, c.UpdatedAt }).ToListAsync(Ct),
            Grants = await db.Set<RepositoryGrant>().OrderBy(g => g.Id).Select(g => new { g.Id, g.UserId, g.TeamId, g.Privilege }).ToListAsync(Ct),
            Teams = await db.Set<Team>().OrderBy(t => t.Id).Select(t => new { t.Id, t.Slug, t.Name }).ToListAsync(Ct),
            Users = await db.Users.CountAsync(Ct),
            Audit = await db.Set<AuditEntry>().CountAsync(Ct),
        };
        return JsonSerializer.Serialize(state);
    }
}
