using EntitlementPortal.Hosting;

try
{
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
