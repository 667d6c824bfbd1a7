using Bunit;
using EntitlementPortal.Components.Shared;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Customers;

public sealed class MetadataEditorTests : PortalComponentTest
{
    private static string Helper(IRenderedComponent<MetadataEditor> editor) =>
        editor.Find(".mud-input-helper-text").TextContent.Trim();

    private static bool ShowsError(IRenderedComponent<MetadataEditor> editor) =>
        editor.Find(".mud-input-control").ClassList.Contains("mud-input-error");

    [Fact]
    public void An_array_is_flagged_as_the_person_types()
    {
        var editor = Render<MetadataEditor>();

        editor.Find("#metadata").Input("[1]");

        editor.WaitForAssertion(() => Assert.Equal("Metadata must be a JSON object ({ ... }), not an array.", Helper(editor)));
        Assert.True(ShowsError(editor));
    }

    [Fact]
    public void Broken_json_is_flagged_with_its_line()
    {
        var editor = Render<MetadataEditor>();

        editor.Find("#metadata").Input("{\n  \"seats\": 10,\n  \"tier\": \n}");

        editor.WaitForAssertion(() => Assert.Equal("Metadata is not valid JSON at line 4, position 1.", Helper(editor)));
    }

    [Fact]
    public void Fixing_the_text_clears_the_error_and_reports_the_value()
    {
        string? reported = null;
        var editor = Render<MetadataEditor>(p => p.Add(e => e.ValueChanged, value => reported = value));
        editor.Find("#metadata").Input("{\"seats\": ");
        editor.WaitForAssertion(() => Assert.True(ShowsError(editor)));

        editor.Find("#metadata").Input("{\"seats\": 10}");

        editor.WaitForAssertion(() => Assert.False(ShowsError(editor)));
        Assert.StartsWith("Optional. A JSON object", Helper(editor));
        Assert.Equal("{\"seats\": 10}", reported);
    }

    [Fact]
    public void Format_pretty_prints_valid_json()
    {
        string? reported = null;
        var editor = Render<MetadataEditor>(p => p
            .Add(e => e.Value, "{\"seats\":10,\"tags\":[\"a\"]}")
            .Add(e => e.ValueChanged, value => reported = value));

        editor.Find("#metadata-format").Click();

        var expected = "{\n  \"seats\": 10,\n  \"tags\": [\n    \"a\"\n  ]\n}";
        editor.WaitForAssertion(() => Assert.Equal(expected, editor.Find("#metadata").GetAttribute("value")?.ReplaceLineEndings("\n")));
        Assert.Equal(expected, reported?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Format_is_unavailable_while_the_text_is_invalid_or_empty()
    {
        var editor = Render<MetadataEditor>();
        Assert.True(editor.Find("#metadata-format").HasAttribute("disabled"));

        editor.Find("#metadata").Input("[1]");
        editor.WaitForAssertion(() => Assert.True(editor.Find("#metadata-format").HasAttribute("disabled")));

        editor.Find("#metadata").Input("{}");
        editor.WaitForAssertion(() => Assert.False(editor.Find("#metadata-format").HasAttribute("disabled")));
    }

    [Fact]
    public void An_error_from_the_service_is_shown_on_the_field()
    {
        var editor = Render<MetadataEditor>(p => p
            .Add(e => e.Value, "{}")
            .Add(e => e.Error, true)
            .Add(e => e.ErrorText, "Metadata is rejected."));

        Assert.Equal("Metadata is rejected.", Helper(editor));
        Assert.True(ShowsError(editor));
    }

    [Fact]
    public void A_custom_id_names_the_field_and_its_format_button()
    {
        var editor = Render<MetadataEditor>(p => p.Add(e => e.Id, "token-metadata").Add(e => e.Value, "{}"));

        Assert.Equal("{}", editor.Find("textarea#token-metadata").GetAttribute("value"));
        Assert.NotNull(editor.Find("#token-metadata-format"));
    }
}
