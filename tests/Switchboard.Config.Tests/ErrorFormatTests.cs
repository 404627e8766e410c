using Switchboard.Config;

namespace Switchboard.Config.Tests;

public sealed class ErrorFormatTests
{
    [Fact]
    public void ToString_is_compiler_style()
    {
        var error = new ConfigError("switchboard.yaml", 12, 5, "providers.openai.base_url", "bad URL 'x'");

        Assert.Equal("switchboard.yaml:12:5: providers.openai.base_url: bad URL 'x'", error.ToString());
    }

    [Fact]
    public void ToString_omits_an_empty_key_path_and_an_unknown_position()
    {
        Assert.Equal("a.yaml:3:1: YAML syntax error: x", new ConfigError("a.yaml", 3, 1, "", "YAML syntax error: x").ToString());
        Assert.Equal("a.yaml: config file not found", new ConfigError("a.yaml", 0, 0, "", "config file not found").ToString());
    }

    [Fact]
    public void Exception_lists_every_error_one_per_line()
    {
        ConfigError[] errors =
        [
            new("a.yaml", 1, 1, "database", "one"),
            new("a.yaml", 2, 3, "", "two"),
        ];

        var exception = new ConfigException(errors);

        Assert.Equal(errors, exception.Errors);
        Assert.Equal($"a.yaml:1:1: database: one{Environment.NewLine}a.yaml:2:3: two", exception.Message);
    }

    [Fact]
    public void GetConfigOrThrow_returns_a_valid_config()
    {
        var config = TestConfig.Load("database: x.db\n").GetConfigOrThrow();

        Assert.Equal("x.db", config.Database);
    }

    [Fact]
    public void Errors_are_ordered_by_position()
    {
        var result = TestConfig.Load("""
            models:
              m: { provider: nope, model: x }
            server: { port: 0 }
            database: ""
            fallbacks: { m: [zzz] }
            """);

        Assert.Equal([2, 3, 4, 5], result.Errors.Select(e => e.Line));
    }
}
