using System.Diagnostics;
using System.Globalization;
using EntitlementPortal.Data;
using EntitlementPortal.Features.Shared;
using EntitlementPortal.Hosting;
using EntitlementPortal.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EntitlementPortal.Features.Demo;

/// <summary>
/// <c>seed-demo</c>: fills an empty database with a realistic portal and exits. It builds the portal's own host
/// (same settings, services and start-up initialisation: migrations, roles, the bootstrap administrator and API
/// key) but never starts it, so nothing listens.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> options, TextWriter output, TextWriter error)
    {
        var (arguments, problem) = DemoArguments.Parse(options);
        if (arguments is null)
        {
            await error.WriteLineAsync($"seed-demo: {problem}");
            return 2;
        }

        // The command's options are its own; settings come from appsettings and environment variables.
        var builder = WebApplication.CreateBuilder();
        builder.AddPortal();
        // Per-statement SQL logs would bury the summary under thousands of batch inserts.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddScoped<DemoCatalogWriter>().AddSingleton<DemoHistoryWriter>();
        await using var app = builder.Build();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var services = app.Services;
        if (await DemoDatabase.HoldsCatalogAsync(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), cancel.Token))
        {
            await error.WriteLineAsync("seed-demo: the database already holds repositories, customers or tokens; run it on an empty database.");
            return 1;
        }

        var clock = Stopwatch.StartNew();
        await services.GetRequiredService<DatabaseInitializer>().StartingAsync(cancel.Token);
        DemoWorld world;
        int written;
        try
        {
            var random = new Random(arguments.Seed);
            await using var scope = services.CreateAsyncScope();
            world = await scope.ServiceProvider.GetRequiredService<DemoCatalogWriter>().WriteAsync(arguments, random, cancel.Token);
            var tally = new DemoTally();
            var events = new DemoEventGenerator(world, random, tally)
                .Generate(arguments.Events, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            written = await services.GetRequiredService<DemoHistoryWriter>().WriteAsync(events, tally, cancel.Token);
        }
        catch (Exception ex) when (ex is ServiceException or FluentValidation.ValidationException)
        {
            // A setting the portal enforces refused the demo (e.g. Plan:MaxActiveTokens below --tokens).
            await error.WriteLineAsync($"seed-demo: stopped, the portal refused the demo data: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Demo data: {world.Repositories.Count} repositories, {world.Customers} customers, {world.Tokens.Count} tokens, "
            + $"{world.Files.Count} package files, {written:N0} download events over {DemoEventGenerator.Days} days "
            + $"(seed {arguments.Seed}, {clock.Elapsed.TotalSeconds:0.0} s)."));
        if (services.GetRequiredService<IOptions<BootstrapOptions>>().Value.AdminEmail is { Length: > 0 } admin)
        {
            await output.WriteLineAsync($"Sign in as {admin.Trim()}.");
        }
        return 0;
    }
}
