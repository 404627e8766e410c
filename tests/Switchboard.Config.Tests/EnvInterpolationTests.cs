using Switchboard.Config;

namespace Switchboard.Config.Tests;

public sealed class EnvInterpolationTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["HOST"] = "db.internal",
        ["PORT"] = "5432",
        ["EMPTY"] = "",
        ["YAMLISH"] = "a: [b, c] # not a comment",
    };

    private static string Database(string value) =>
        TestConfig.LoadOk($"database: {value}\n", Env).Database;

    [Theory]
    [InlineData("${HOST}", "db.internal")]
    [InlineData("postgres://u@${HOST}:${PORT}/sb", "postgres://u@db.internal:5432/sb")]
    [InlineData("\"${HOST}-x\"", "db.internal-x")]
    [InlineData("'${HOST}'", "db.internal")]
    [InlineData("${MISSING:-fallback.db}", "fallback.db")]
    [InlineData("${EMPTY:-fallback.db}", "fallback.db")]
    [InlineData("${HOST:-fallback.db}", "db.internal")]
    [InlineData("x${EMPTY}y", "xy")]
    [InlineData("x${MISSING:-}y", "xy")]
    [InlineData("cost$${HOST}", "cost${HOST}")]
    [InlineData("$$${HOST}", "$${HOST}")] // only "$${" is special: the first "$" stays literal
    [InlineData("$HOST-$-$$", "$HOST-$-$$")]
    [InlineData("${HOST:-a:-b}", "db.internal")]
    [InlineData("${MISSING:-a:-b}", "a:-b")]
    public void Values_are_interpolated(string yaml, string expected) =>
        Assert.Equal(expected, Database(yaml));

    [Fact]
    public void References_work_unquoted_inside_flow_collections()
    {
        // Strict YAML forbids '{' and '}' in plain scalars inside {...} and [...]; the contract's examples rely on it.
        var config = TestConfig.LoadOk("""
            server: { host: ${HOST}, port: ${PORT} }
            providers:
              p: { type: openai, base_url: http://${HOST:-x}/v1, api_key: ${MISSING:-none}, headers: { X-A: $${HOST} } }
            models:
              m: [{ provider: p, model: ${HOST} }]
            """, Env);

        Assert.Equal(new ServerSettings { Host = "db.internal", Port = 5432 }, config.Server);
        var provider = Assert.Single(config.Providers);
        Assert.Equal("http://db.internal/v1", provider.BaseUrl.AbsoluteUri);
        Assert.Equal("none", provider.ApiKey);
        Assert.Equal("${HOST}", Assert.Single(provider.Headers).Value);
        Assert.Equal("db.internal", Assert.Single(Assert.Single(config.Models).Deployments).Model);
    }

    [Fact]
    public void Missing_variable_inside_a_flow_mapping_has_its_exact_column()
    {
        var error = TestConfig.SingleError("server: { host: ${NOPE}, port: 1 }\n");

        TestConfig.AssertError(error, 1, "server.host", "environment variable NOPE is not set");
        Assert.Equal(17, error.Column);
    }

    [Fact]
    public void Interpolated_text_is_not_parsed_as_yaml()
    {
        Assert.Equal("a: [b, c] # not a comment", Database("${YAMLISH}"));
    }

    [Fact]
    public void Numbers_can_come_from_the_environment()
    {
        var config = TestConfig.LoadOk("server:\n  port: ${PORT}\n", Env);

        Assert.Equal(5432, config.Server.Port);
    }

    [Fact]
    public void Missing_variable_is_an_error_naming_it_and_the_line()
    {
        var error = TestConfig.SingleError("""
            providers:
              openai:
                type: openai
                base_url: https://api.openai.com/v1
                api_key: ${OPENAI_API_KEY}
            """);

        TestConfig.AssertError(error, 5, "providers.openai.api_key", "environment variable OPENAI_API_KEY is not set");
        Assert.Equal(14, error.Column);
        Assert.Equal(
            "test.yaml:5:14: providers.openai.api_key: environment variable OPENAI_API_KEY is not set",
            error.ToString());
    }

    [Fact]
    public void Every_missing_variable_is_reported()
    {
        var result = TestConfig.Load("""
            master_key: ${A}
            database: ${B}/${C}
            """);

        Assert.Equal(3, result.Errors.Length);
        TestConfig.HasError(result, 1, "master_key", "environment variable A is not set");
        TestConfig.HasError(result, 2, "database", "environment variable B is not set");
        TestConfig.HasError(result, 2, "database", "environment variable C is not set");
    }

    [Fact]
    public void Keys_are_never_interpolated()
    {
        var result = TestConfig.Load("""
            providers:
              ${HOST}: { type: openai, base_url: http://localhost/v1 }
            """, Env);

        TestConfig.HasError(result, 2, "providers.${HOST}",
            "invalid provider name '${HOST}' (use letters, digits, '_', '.' and '-')");
    }

    [Fact]
    public void Header_names_are_keys_and_stay_literal()
    {
        var result = TestConfig.Load("""
            providers:
              p:
                type: openai
                base_url: http://localhost/v1
                headers: { "X-${HOST}": v }
            """, Env);

        TestConfig.HasError(result, 5, "providers.p.headers.X-${HOST}", "invalid header name 'X-${HOST}'");
    }

    [Fact]
    public void Unterminated_reference_is_an_error()
    {
        var error = TestConfig.SingleError("database: x${HOST\n", Env);

        TestConfig.AssertError(error, 1, "database", "unterminated '${' (write '$${' for a literal '${')");
    }

    [Fact]
    public void Malformed_reference_is_an_error()
    {
        var error = TestConfig.SingleError("server: { host: \"${1X}\" }\n", Env);

        TestConfig.AssertError(error, 1, "server.host",
            "invalid environment variable reference '${1X}' (expected ${NAME} or ${NAME:-default})");
    }

    [Fact]
    public void Process_environment_is_used_by_default()
    {
        var name = $"SB_CONFIG_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "from-process.db");
        try
        {
            var result = ConfigLoader.LoadText($"database: ${{{name}}}\n", "t.yaml", TestConfig.ProviderTypes);

            Assert.True(result.Ok);
            Assert.Equal("from-process.db", result.Config!.Database);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("${HOST}${PORT}", "db.internal5432")]
    [InlineData("$${HOST}", "${HOST}")]
    [InlineData("}{$", "}{$")]
    public void Interpolator_expands_text(string text, string expected)
    {
        var problems = new List<string>();

        var result = EnvInterpolator.Expand(text, TestConfig.Env(Env), secret: false, problems);

        Assert.Empty(problems);
        Assert.Equal(expected, result);
    }
}
