using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Support;

/// <summary>
/// Identity's hasher (PBKDF2 with 100,000 rounds) with far fewer rounds for the in-process test hosts. Every
/// host hashes the bootstrap administrator's password, the tests create users and sign in hundreds of times, and
/// the rounds only decide how costly a stolen hash is to guess, which no test is about. The hash format, the checks
/// and every code path stay the app's; the portal started as a process (<see cref="PortalProcess"/>) keeps the
/// production count.
/// </summary>
public static class FastPasswordHashing
{
    public const int Iterations = 1_000;

    public static IServiceCollection UseFastPasswordHashing(this IServiceCollection services) =>
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = Iterations);
}
