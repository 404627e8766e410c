using Switchboard.Config;

namespace Switchboard.Config.Tests;

public sealed class ProviderTests
{
    private static ProviderConfig LoadProvider(string body)
    {
        var config = TestConfig.LoadOk($"providers:\n  p: {body}\n");
        return Assert.Single(config.Providers);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    [InlineData("gemini")]
    [InlineData("azure-openai")]
    public void Every_provider_type_is_accepted(string name) =>
        Assert.Equal(name, LoadProvider($"{{ type: {name}, base_url: https://example.com }}").Type);

    [Fact]
    public void Type_is_required()
    {
        var error = TestConfig.SingleError("""
            providers:
              openai:
                base_url: https://api.openai.com/v1
            """);

        TestConfig.AssertError(error, 3, "providers.openai", "missing required key 'type'");
    }

    [Fact]
    public void Unknown_type_lists_the_allowed_types()
    {
        var error = TestConfig.SingleError("""
            providers:
              openai: { type: open-ai, base_url: https://api.openai.com/v1 }
            """);

        TestConfig.AssertError(error, 2, "providers.openai.type",
            "unknown provider type 'open-ai' (allowed: openai, anthropic, gemini, azure-openai)");
        Assert.Equal(19, error.Column);
    }

    [Fact]
    public void Base_url_is_required()
    {
        var error = TestConfig.SingleError("""
            providers:
              openai: { type: openai }
            """);

        TestConfig.AssertError(error, 2, "providers.openai", "missing required key 'base_url'");
    }

    [Theory]
    [InlineData("api.openai.com/v1")]
    [InlineData("ftp://files.example.com")]
    [InlineData("/v1")]
    [InlineData("http://")]
    [InlineData("not a url")]
    public void Base_url_must_be_an_absolute_http_url(string url)
    {
        var error = TestConfig.SingleError($"""
            providers:
              openai:
                type: openai
                base_url: "{url}"
            """);

        TestConfig.AssertError(error, 4, "providers.openai.base_url",
            $"bad URL '{url}' (expected an absolute http or https URL)");
    }

    [Fact]
    public void Trailing_slash_of_base_url_is_dropped() =>
        Assert.Equal("http://localhost:8000/v1",
            LoadProvider("{ type: openai, base_url: http://localhost:8000/v1/ }").BaseUrl.AbsoluteUri);

    [Fact]
    public void Empty_api_key_means_no_key() =>
        Assert.Null(LoadProvider("{ type: openai, base_url: http://localhost/v1, api_key: \"${NONE:-}\" }").ApiKey);

    [Fact]
    public void Azure_gets_the_default_api_version() =>
        Assert.Equal("2024-10-21", LoadProvider("{ type: azure-openai, base_url: https://x.openai.azure.com }").ApiVersion);

    [Fact]
    public void Api_version_is_only_for_azure()
    {
        var error = TestConfig.SingleError("""
            providers:
              openai:
                type: openai
                base_url: https://api.openai.com/v1
                api_version: 2024-10-21
            """);

        TestConfig.AssertError(error, 5, "providers.openai.api_version", "api_version is only valid for type azure-openai");
    }

    [Theory]
    [InlineData("openai", "https://api.openai.com/v1", true)]
    [InlineData("openai", "https://API.OpenAI.com/v1/", true)]
    [InlineData("openai", "http://localhost:8000/v1", false)]
    [InlineData("openai", "https://api.groq.com/openai/v1", false)]
    [InlineData("azure-openai", "https://x.openai.azure.com", true)]
    [InlineData("anthropic", "https://api.anthropic.com", false)]
    [InlineData("gemini", "https://generativelanguage.googleapis.com", false)]
    public void Responses_defaults_to_true_for_openai_itself_and_azure(string type, string url, bool expected) =>
        Assert.Equal(expected, LoadProvider($"{{ type: {type}, base_url: \"{url}\" }}").Responses);

    [Theory]
    [InlineData("openai", "http://localhost:8000/v1", "true", true)]
    [InlineData("openai", "https://api.openai.com/v1", "false", false)]
    [InlineData("azure-openai", "https://x.openai.azure.com", "false", false)]
    public void Responses_can_be_set_on_openai_and_azure(string type, string url, string value, bool expected) =>
        Assert.Equal(expected, LoadProvider($"{{ type: {type}, base_url: \"{url}\", responses: {value} }}").Responses);

    [Theory]
    [InlineData("anthropic")]
    [InlineData("gemini")]
    public void Responses_is_only_for_openai_and_azure(string type)
    {
        var error = TestConfig.SingleError($"""
            providers:
              other:
                type: {type}
                base_url: https://example.com
                responses: true
            """);

        TestConfig.AssertError(error, 5, "providers.other.responses", "responses is only valid for type openai or azure-openai");
    }

    [Fact]
    public void Responses_takes_only_true_or_false()
    {
        var error = TestConfig.SingleError("providers:\n  openai: { type: openai, base_url: https://api.openai.com/v1, responses: native }\n");

        TestConfig.AssertError(error, 2, "providers.openai.responses", "unknown value 'native' (allowed: true, false)");
    }

    [Theory]
    [InlineData("my provider")]
    [InlineData("open/ai")]
    [InlineData("ключ")]
    public void Provider_names_are_restricted(string name)
    {
        var error = TestConfig.SingleError($$"""
            providers:
              "{{name}}": { type: openai, base_url: http://localhost/v1 }
            """);

        TestConfig.AssertError(error, 2, $"providers.{name}",
            $"invalid provider name '{name}' (use letters, digits, '_', '.' and '-')");
    }

    [Fact]
    public void Provider_names_allow_letters_digits_dot_dash_underscore() =>
        Assert.Equal("Open_AI-2.eu", Assert.Single(TestConfig.LoadOk(
            "providers:\n  Open_AI-2.eu: { type: openai, base_url: http://localhost/v1 }\n").Providers).Name);

    [Fact]
    public void Headers_are_read_in_order()
    {
        var provider = LoadProvider("{ type: openai, base_url: http://l/v1, headers: { X-B: \"2\", X-A: one } }");

        Assert.Equal<KeyValuePair<string, string>>([new("X-B", "2"), new("X-A", "one")], provider.Headers);
    }

    [Fact]
    public void Headers_must_be_a_mapping()
    {
        var error = TestConfig.SingleError("""
            providers:
              p:
                type: openai
                base_url: http://localhost/v1
                headers: [X-A]
            """);

        TestConfig.AssertError(error, 5, "providers.p.headers", "expected a mapping, got a list");
    }

    [Fact]
    public void Header_values_must_be_strings()
    {
        var error = TestConfig.SingleError("""
            providers:
              p:
                type: openai
                base_url: http://localhost/v1
                headers:
                  X-A: { nested: 1 }
            """);

        TestConfig.AssertError(error, 6, "providers.p.headers.X-A", "expected a string, got a mapping");
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("30", 30_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("2.5s", 2_500)]
    [InlineData("\"45\"", 45_000)]
    public void Timeouts_accept_durations_and_seconds(string text, int milliseconds)
    {
        var provider = LoadProvider($"{{ type: openai, base_url: http://l/v1, connect_timeout: {text}, timeout: {text} }}");

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), provider.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), provider.RequestTimeout);
    }

    [Theory]
    [InlineData("abc", "expected a duration like 10s, 500ms, 2m or a number of seconds, got 'abc'")]
    [InlineData("10 sec", "expected a duration like 10s, 500ms, 2m or a number of seconds, got '10 sec'")]
    [InlineData("-5s", "expected a duration like 10s, 500ms, 2m or a number of seconds, got '-5s'")]
    [InlineData("0", "must be more than 0 and at most 24h, got '0'")]
    [InlineData("25h", "must be more than 0 and at most 24h, got '25h'")]
    [InlineData("[1]", "expected a duration, got a list")]
    public void Bad_timeouts_are_errors(string text, string message)
    {
        var error = TestConfig.SingleError($"""
            providers:
              p:
                type: openai
                base_url: http://localhost/v1
                timeout: {text}
            """);

        TestConfig.AssertError(error, 5, "providers.p.timeout", message);
    }

    [Fact]
    public void Provider_must_be_a_mapping()
    {
        var error = TestConfig.SingleError("""
            providers:
              p: https://api.openai.com/v1
            """);

        TestConfig.AssertError(error, 2, "providers.p", "expected a mapping, got a string");
    }

    [Fact]
    public void Empty_provider_reports_both_required_keys()
    {
        var result = TestConfig.Load("""
            providers:
              p:
            """);

        Assert.Equal(2, result.Errors.Length);
        Assert.All(result.Errors, e => Assert.Equal(("providers.p", 2), (e.KeyPath, e.Line)));
        Assert.Equal(["missing required key 'type'", "missing required key 'base_url'"], result.Errors.Select(e => e.Message));
    }
}
