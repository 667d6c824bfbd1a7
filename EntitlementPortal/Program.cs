using EntitlementPortal.Features.Demo;
using EntitlementPortal.Hosting;

try
{
    if (DemoArguments.IsRequested(args))
    {
        return await DemoCommand.RunAsync(args[1..], Console.Out, Console.Error);
    }
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPortal();
    var app = builder.Build();
    app.UsePortal();
    await app.RunAsync();
    return 0;
}
catch (StartupFailedException ex)
{
    Console.Error.WriteLine($"EntitlementPortal cannot start: {ex.Message}");
    return 1;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    // A setting checked by its options' rules when the host starts: the same one line as the checks made before it.
    Console.Error.WriteLine($"EntitlementPortal cannot start: {string.Join(" ", ex.Failures)}");
    return 1;
}

public partial class Program;
