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

public partial class Program;
