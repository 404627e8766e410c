namespace Switchboard.Config.Tests;

public sealed class SyntaxErrorTests
{
    [Fact]
    public void Syntax_error_is_reported_with_its_position()
    {
        var error = TestConfig.SingleError("""
            providers:
              openai:
                type: openai
               base_url: https://api.openai.com/v1
            """);

        Assert.Equal(4, error.Line);
        Assert.True(error.Column > 0);
        Assert.Equal("", error.KeyPath);
        Assert.StartsWith("YAML syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key: [unclosed\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: *undefined_alias\n")]
    [InlineData("- a\nb: c\n")]
    [InlineData("\"unterminated\n")]
    [InlineData("providers: !!binary ~~~\n")]
    [InlineData("%YAML 9.9\n---\na: b\n")]
    public void Broken_yaml_never_throws(string yaml)
    {
        var result = TestConfig.Load(yaml);

        Assert.False(result.Ok);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.True(e.Line > 0, e.ToString()));
    }

    [Fact]
    public void Duplicate_keys_are_reported_together_with_a_later_syntax_error()
    {
        var result = TestConfig.Load("database: a\ndatabase: b\nserver: [\n");

        Assert.Equal(2, result.Errors.Length);
        TestConfig.HasError(result, 2, "database", "duplicate key 'database' (first defined on line 1)");
        Assert.StartsWith("YAML syntax error: ", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_nesting_is_an_error_not_a_crash()
    {
        var error = TestConfig.SingleError("database: " + new string('[', 100_000) + "\n");

        Assert.Equal("YAML syntax error: nesting deeper than 64 levels", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Parser_crash_is_reported_as_a_syntax_error()
    {
        // YamlDotNet 16 throws InvalidOperationException (not YamlException) on this input.
        var error = TestConfig.SingleError("providers:\n  openai: { type: openai, base_url: x\nmodels: {}\n");

        Assert.StartsWith("YAML syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Anchors_and_aliases_work()
    {
        var config = TestConfig.LoadOk("""
            providers:
              a: &base { type: openai, base_url: http://localhost/v1 }
              b: *base
            """);

        Assert.Equal(["a", "b"], config.Providers.Select(p => p.Name));
    }
}
