using System.Globalization;

namespace EntitlementPortal.Features.Demo;

/// <summary>The options of <c>seed-demo</c>: how many events and tokens, and the seed that makes the data reproducible.</summary>
public sealed record DemoArguments(int Events, int Tokens, int Seed)
{
    public const string Command = "seed-demo";
    public const int DefaultEvents = 50_000;
    public const int DefaultTokens = 40;
    public const int DefaultSeed = 20261202;
    public const int MaxEvents = 10_000_000;
    public const int MaxTokens = 1_000_000;

    public static bool IsRequested(string[] args) => args is [Command, ..];

    /// <summary>Parses what follows the command; a problem is one line for stderr, never a partial result.</summary>
    public static (DemoArguments? Arguments, string? Problem) Parse(IReadOnlyList<string> args)
    {
        int events = DefaultEvents, tokens = DefaultTokens, seed = DefaultSeed;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            if (name is not ("--events" or "--tokens" or "--seed"))
            {
                return (null, $"unknown option '{args[i]}'; use --events N, --tokens N and --seed N.");
            }
            var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
            var (minimum, maximum) = name switch
            {
                "--events" => (0, MaxEvents),
                "--tokens" => (1, MaxTokens),
                _ => (0, int.MaxValue),
            };
            if (value is null || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || number < minimum || number > maximum)
            {
                return (null, $"{name} '{value}' is not valid; use a whole number from {minimum} to {maximum}.");
            }
            switch (name)
            {
                case "--events": events = number; break;
                case "--tokens": tokens = number; break;
                default: seed = number; break;
            }
        }
        return (new DemoArguments(events, tokens, seed), null);
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }
}
