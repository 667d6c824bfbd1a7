using System.Text.Json;
using EntitlementPortal.Features.Shared;

namespace EntitlementPortal.Tests.Customers;

public sealed class JsonMetadataTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("{}")]
    [InlineData("{ \"seats\": 10, \"tier\": \"gold\", \"tags\": [\"a\", \"b\"], \"billing\": { \"id\": null } }")]
    public void Empty_text_and_objects_have_no_problem(string? text)
    {
        Assert.Null(JsonMetadata.Problem(text));
    }

    [Theory]
    [InlineData("[1]", "an array")]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("true", "a boolean")]
    [InlineData("null", "null")]
    public void Anything_but_an_object_must_be_a_json_object(string text, string described)
    {
        var problem = JsonMetadata.Problem(text);

        Assert.NotNull(problem);
        Assert.Contains("must be a JSON object", problem);
        Assert.EndsWith($"not {described}.", problem);
    }

    [Fact]
    public void Invalid_json_names_the_line_and_position()
    {
        var problem = JsonMetadata.Problem("{\n  \"seats\": 10,\n  \"tier\": \n}");

        Assert.Equal("Metadata is not valid JSON at line 4, position 1.", problem);
    }

    [Theory]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{\"a\": 1} // comment")]
    [InlineData("{} {}")]
    [InlineData("{'a': 1}")]
    [InlineData("{\"a\": undefined}")]
    public void Lenient_json_is_refused(string text)
    {
        Assert.StartsWith("Metadata is not valid JSON", JsonMetadata.Problem(text));
    }

    [Fact]
    public void Arrays_nested_ten_thousand_deep_are_refused_by_size_before_parsing()
    {
        var hostile = new string('[', 10_000) + new string(']', 10_000);

        Assert.Equal("Metadata must be at most 16 KiB.", JsonMetadata.Problem(hostile));
    }

    [Fact]
    public void Deep_nesting_that_fits_the_size_limit_is_refused_as_invalid()
    {
        var hostile = "{\"a\":" + new string('[', 5_000) + new string(']', 5_000) + "}";
        var tooDeepObjects = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);

        Assert.StartsWith("Metadata is not valid JSON", JsonMetadata.Problem(hostile));
        Assert.StartsWith("Metadata is not valid JSON", JsonMetadata.Problem(tooDeepObjects));
    }

    [Fact]
    public void Normalize_and_pretty_refuse_extreme_nesting_with_a_json_error_not_a_crash()
    {
        var hostile = new string('[', 10_000) + new string(']', 10_000);

        Assert.ThrowsAny<JsonException>(() => JsonMetadata.Normalize(hostile));
        Assert.ThrowsAny<JsonException>(() => JsonMetadata.Pretty(hostile));
    }

    [Fact]
    public void Huge_strings_are_refused_by_size()
    {
        var atLimit = "{\"a\":\"" + new string('x', JsonMetadata.MaxLength - 8) + "\"}";
        var overLimit = "{\"a\":\"" + new string('x', 1_000_000) + "\"}";

        Assert.Equal(JsonMetadata.MaxLength, atLimit.Length);
        Assert.Null(JsonMetadata.Problem(atLimit));
        Assert.Equal("Metadata must be at most 16 KiB.", JsonMetadata.Problem(overLimit));
    }

    [Fact]
    public void Text_with_a_lone_surrogate_is_a_problem_not_an_exception()
    {
        // Built here rather than passed as theory data: serialising test data would replace the surrogate.
        var inValue = "{\"a\":\"" + '\uD800' + "\"}";
        var inName = "{\"" + '\uDC00' + "\":1}";

        Assert.StartsWith("Metadata is not valid JSON", JsonMetadata.Problem(inValue));
        Assert.StartsWith("Metadata is not valid JSON", JsonMetadata.Problem(inName));
    }

    [Fact]
    public void Control_characters_inside_strings_are_refused()
    {
        Assert.StartsWith("Metadata is not valid JSON", JsonMetadata.Problem("{\"a\":\"\0\"}"));
    }

    [Fact]
    public void Normalize_gives_one_compact_form()
    {
        var normalized = JsonMetadata.Normalize("{\n  \"seats\" : 10,\n  \"tier\":\t\"gold\"\n}");

        Assert.Equal("{\"seats\":10,\"tier\":\"gold\"}", normalized);
        Assert.Equal(normalized, JsonMetadata.Normalize(normalized));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Normalize_stores_empty_metadata_as_nothing(string? text)
    {
        Assert.Null(JsonMetadata.Normalize(text));
    }

    [Fact]
    public void Pretty_indents_and_survives_a_round_trip()
    {
        const string compact = "{\"seats\":10,\"tags\":[\"a\",\"b\"]}";

        var pretty = JsonMetadata.Pretty(compact);

        Assert.Equal("{\n  \"seats\": 10,\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ]\n}", pretty.ReplaceLineEndings("\n"));
        Assert.Equal(compact, JsonMetadata.Normalize(pretty));
    }

    [Fact]
    public void Pretty_keeps_non_ascii_text_readable_and_normalizes_back_to_the_stored_form()
    {
        var stored = JsonMetadata.Normalize("{\"city\": \"München\", \"note\": \"<b>&</b>\"}");

        var pretty = JsonMetadata.Pretty(stored);

        Assert.Contains("\"München\"", pretty);
        Assert.Contains("\"<b>&</b>\"", pretty);
        Assert.Equal(stored, JsonMetadata.Normalize(pretty));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Pretty_of_nothing_is_empty(string? text)
    {
        Assert.Equal("", JsonMetadata.Pretty(text));
    }
}
