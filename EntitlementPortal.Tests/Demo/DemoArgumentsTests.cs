using EntitlementPortal.Features.Demo;

namespace EntitlementPortal.Tests.Demo;

public sealed class DemoArgumentsTests
{
    [Fact]
    public void No_options_give_the_defaults()
    {
        var (arguments, problem) = DemoArguments.Parse([]);

        Assert.Null(problem);
        Assert.Equal(new DemoArguments(DemoArguments.DefaultEvents, DemoArguments.DefaultTokens, DemoArguments.DefaultSeed), arguments);
    }

    [Fact]
    public void Options_are_read_with_a_space_or_an_equals_sign()
    {
        var (arguments, _) = DemoArguments.Parse(["--events", "1200", "--tokens=7", "--seed", "42"]);

        Assert.Equal(new DemoArguments(1200, 7, 42), arguments);
    }

    [Theory]
    [InlineData("--events", "abc", "--events 'abc' is not valid")]
    [InlineData("--events", "-5", "--events '-5' is not valid")]
    [InlineData("--tokens", "0", "--tokens '0' is not valid")]
    [InlineData("--colour", "red", "unknown option '--colour'")]
    public void Bad_options_are_one_clear_problem(string option, string value, string expected)
    {
        var (arguments, problem) = DemoArguments.Parse([option, value]);

        Assert.Null(arguments);
        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void An_option_without_its_value_is_refused()
    {
        Assert.Equal("--events '' is not valid; use a whole number from 0 to 10000000.", DemoArguments.Parse(["--events"]).Problem);
    }
}
