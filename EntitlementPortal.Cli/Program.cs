using EntitlementPortal.Cli.Terminal;

namespace EntitlementPortal.Cli;

// A named class rather than top-level statements: a global "Program" would clash with the portal's own in the
// test project, which references both.
public static class EpProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        return await EpApp.RunAsync(args, Console.Out, Console.Error, new SystemConsoleEnvironment(), cancellationToken: interrupt.Token);
    }
}
