using EntitlementPortal.Cli;
using EntitlementPortal.Cli.Terminal;

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
return await EpApp.RunAsync(args, Console.Out, Console.Error, new SystemConsoleEnvironment(), cancellationToken: interrupt.Token);
