using EntitlementPortal.Features.Packages.Query;

namespace EntitlementPortal.Tests.Packages.Query;

public sealed class PackageQueryErrorTests
{
    public static TheoryData<string, string, int> Errors => new()
    {
        { "nmae:acme", "Unknown field 'nmae' at position 0. Fields: name, version, filename, tag, format.", 0 },
        { "tag:x NMAE:acme", "Unknown field 'NMAE' at position 6. Fields: name, version, filename, tag, format.", 6 },
        { ":acme", "Expected a field name before ':' at position 0.", 0 },
        { "version:", "Expected a value after 'version:' at position 8.", 8 },
        { "name: acme", "Expected a value after 'name:' at position 5.", 5 },
        { "tag:x Name:", "Expected a value after 'Name:' at position 11.", 11 },
        { "(name:)", "Expected a value after 'name:' at position 6.", 6 },
        { "name:\"\"", "Expected a value after 'name:' at position 5.", 5 },
        { "\"\"", "Empty quoted value at position 0.", 0 },
        { "tag:x (name:a OR name:b", "Missing ')' for '(' at position 6.", 6 },
        { "((name:a)", "Missing ')' for '(' at position 0.", 0 },
        { "name:a OR name:b)", "Unexpected ')' at position 16.", 16 },
        { "(name:a))", "Unexpected ')' at position 8.", 8 },
        { ") name:a", "Unexpected ')' at position 0.", 0 },
        { "name:a AND", "Expected a term after 'AND' at position 10.", 10 },
        { "name:a or", "Expected a term after 'or' at position 9.", 9 },
        { "NOT", "Expected a term after 'NOT' at position 3.", 3 },
        { "name:a NOT", "Expected a term after 'NOT' at position 10.", 10 },
        { "AND name:a", "Expected a term before 'AND' at position 0.", 0 },
        { "Or name:a", "Expected a term before 'Or' at position 0.", 0 },
        { "name:a OR OR name:b", "Expected a term after 'OR' at position 10.", 10 },
        { "name:a AND OR name:b", "Expected a term after 'AND' at position 11.", 11 },
        { "NOT AND name:a", "Expected a term after 'NOT' at position 4.", 4 },
        { "name:a (NOT)", "Expected a term after 'NOT' at position 11.", 11 },
        { "name:a (OR name:b)", "Expected a term after '(' at position 8.", 8 },
        { "()", "Expected a term after '(' at position 1.", 1 },
        { "name:\"acme", "Missing closing '\"' for the quote at position 5.", 5 },
        { "tag:x \"acme", "Missing closing '\"' for the quote at position 6.", 6 },
        { "name:\"acme\\\"", "Missing closing '\"' for the quote at position 5.", 5 },
        { "name:\"acme\\", "Missing closing '\"' for the quote at position 5.", 5 },
        { "name:\"a\\nb\"", "Unsupported escape '\\n' at position 7; inside quotes only \\\" and \\\\ are escapes.", 7 },
        { "name:acme\"x\"", "Unexpected '\"' at position 9; quote the whole value.", 9 },
        { "acme\"x\"", "Unexpected '\"' at position 4; quote the whole value.", 4 },
        { "name:\"a\"b", "Expected a space or ')' after the closing quote at position 8.", 8 },
        { "version:>=abc", "Invalid version comparison '>=abc' at position 8.", 8 },
        { "tag:x version:>=abc", "Invalid version comparison '>=abc' at position 14.", 14 },
        { "version:>=", "Invalid version comparison '>=' at position 8.", 8 },
        { "version:<2.*", "Invalid version comparison '<2.*' at position 8.", 8 },
        { "version:>1.0rc1", "Invalid version comparison '>1.0rc1' at position 8.", 8 },
        { "version:=nightly", "Invalid version comparison '=nightly' at position 8.", 8 },
        { "version:==1.0", "Invalid version comparison '==1.0' at position 8.", 8 },
        { "version:~2", "Invalid version comparison '~2' at position 8.", 8 },
        { "version:!=2", "Invalid version comparison '!=2' at position 8.", 8 },
        { "version:^1.2", "Invalid version comparison '^1.2' at position 8.", 8 },
        { "version:~=abc", "Invalid version comparison '~=abc' at position 8.", 8 },
        { "version:~=2", "Compatible release '~=2' at position 8 needs at least two version segments, e.g. '~=2.0'.", 8 },
        { "version:\"~=v2\"", "Compatible release '~=v2' at position 8 needs at least two version segments, e.g. '~=2.0'.", 8 },
        { "name:a\u0001b", "Control character U+0001 not allowed at position 6.", 6 },
        { "name:a \u0000", "Control character U+0000 not allowed at position 7.", 7 },
        { "name:\"a\tb\"", "Control character U+0009 not allowed at position 7.", 7 },
        { "name:\"a\\\u0007\"", "Control character U+0007 not allowed at position 8.", 8 },
        { "name:a\u200Bb", "Invisible character U+200B not allowed at position 6.", 6 },
        { "name:evil\u202Etxt.exe", "Invisible character U+202E not allowed at position 9.", 9 },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Errors_say_what_is_wrong_and_where(string query, string message, int position)
    {
        var result = PackageQuery.TryParse(query);

        Assert.False(result.IsValid);
        Assert.Null(result.Query);
        Assert.Equal(message, result.Error.Message);
        Assert.Equal(position, result.Error.Position);
        Assert.Equal(position + 1, result.Error.Column);
    }

    [Fact]
    public void Parse_throws_the_same_error_with_its_position()
    {
        var error = Assert.Throws<PackageQueryException>(() => PackageQuery.Parse("name:a AND (tag:x"));

        Assert.Equal("Missing ')' for '(' at position 11.", error.Message);
        Assert.Equal(11, error.Position);
        Assert.Equal(12, error.Column);
        Assert.Equal(new PackageQueryError(error.Message, 11), error.Error);
    }

    [Fact]
    public void The_first_error_in_reading_order_is_reported()
    {
        Assert.Equal(0, PackageQuery.TryParse("nmae:x \"unterminated").Error?.Position);
        Assert.Equal(7, PackageQuery.TryParse("name:x \"unterminated nmae:y").Error?.Position);
    }

    [Fact]
    public void A_long_field_name_is_shortened_in_the_message()
    {
        var error = PackageQuery.TryParse(new string('x', 100) + ":a").Error!;

        Assert.Equal($"Unknown field '{new string('x', 40)}…' at position 0. Fields: name, version, filename, tag, format.", error.Message);
    }
}
