using Switchboard.Config;

namespace Switchboard.Config.Tests;

public sealed class ModelTests
{
    private const string Providers = """
        providers:
          openai: { type: openai, base_url: https://api.openai.com/v1 }
          local: { type: openai, base_url: http://127.0.0.1:11434/v1 }
        """;

    private static DeploymentConfig LoadDeployment(string body) =>
        Assert.Single(Assert.Single(TestConfig.LoadOk($"{Providers}\nmodels:\n  m: {body}\n").Models).Deployments);

    private static ConfigError DeploymentError(string body) =>
        TestConfig.SingleError($"{Providers}\nmodels:\n  m:\n    - {body}\n");

    [Fact]
    public void Undefined_provider_lists_the_defined_ones()
    {
        var error = TestConfig.SingleError($$"""
            {{Providers}}
            models:
              gpt-4o:
                - provider: foo
                  model: gpt-4o
            """);

        TestConfig.AssertError(error, 6, "models.gpt-4o[0].provider", "provider 'foo' is not defined (defined: openai, local)");
        Assert.Equal(17, error.Column);
    }

    [Fact]
    public void Undefined_provider_when_there_are_none()
    {
        var error = TestConfig.SingleError("models:\n  m: { provider: openai, model: x }\n");

        TestConfig.AssertError(error, 2, "models.m.provider", "provider 'openai' is not defined (no providers are defined)");
    }

    [Fact]
    public void A_provider_with_errors_still_counts_as_defined()
    {
        var error = TestConfig.SingleError("""
            providers:
              broken: { type: nope, base_url: http://localhost/v1 }
            models:
              m: { provider: broken, model: x }
            """);

        Assert.Equal("providers.broken.type", error.KeyPath);
    }

    [Fact]
    public void Provider_and_model_are_required()
    {
        var result = TestConfig.Load($"{Providers}\nmodels:\n  m:\n    - {{ weight: 2 }}\n");

        Assert.Equal(2, result.Errors.Length);
        TestConfig.HasError(result, 6, "models.m[0]", "missing required key 'provider'");
        TestConfig.HasError(result, 6, "models.m[0]", "missing required key 'model'");
    }

    [Fact]
    public void Empty_model_id_is_an_error() =>
        TestConfig.AssertError(DeploymentError("{ provider: openai, model: \"\" }"), 6, "models.m[0].model", "must not be empty");

    [Fact]
    public void A_single_mapping_is_a_one_element_list()
    {
        var deployment = LoadDeployment("{ provider: local, model: llama3 }");

        Assert.Equal(("local", "llama3", 1, 5), (deployment.Provider, deployment.Model, deployment.Weight, deployment.Line));
    }

    [Fact]
    public void Prices_are_decimals()
    {
        var deployment = LoadDeployment("{ provider: openai, model: x, input_per_mtok: 0.15, output_per_mtok: 6e-1, cached_input_per_mtok: 0 }");

        Assert.Equal((0.15m, 0.6m, 0m), (deployment.InputPerMTok, deployment.OutputPerMTok, deployment.CachedInputPerMTok));
    }

    [Fact]
    public void Image_prices_are_keyed_by_size_and_quality()
    {
        var deployment = LoadDeployment("{ provider: openai, model: dall-e-3, image_prices: { 1024x1024/hd: 0.08, 1792x1024: 0.12, '*/standard': 0.04, default: 0.05 }, image_input_per_mtok: 10 }");

        Assert.Equal(0.08m, deployment.ImagePrices!["1024x1024/HD"]);
        Assert.Equal((0.12m, 0.04m, 0.05m), (deployment.ImagePrices["1792x1024"], deployment.ImagePrices["*/standard"], deployment.ImagePrices["default"]));
        Assert.Equal(10m, deployment.ImageInputPerMTok);
    }

    [Fact]
    public void Audio_prices_are_per_million_characters_and_per_second()
    {
        var deployment = LoadDeployment("{ provider: openai, model: tts-1, input_per_mchar: 15, per_second: 0.0001 }");

        Assert.Equal((15m, 0.0001m), (deployment.InputPerMChar, deployment.PerSecond));
    }

    [Theory]
    [InlineData("image_prices: { 1024x1024/hd/x: 1 }", "image_prices.1024x1024/hd/x", "bad image price key '1024x1024/hd/x' (expected SIZE, SIZE/QUALITY, */QUALITY or default, e.g. 1024x1024/hd)")]
    [InlineData("image_prices: { default: -1 }", "image_prices.default", "must not be negative, got '-1'")]
    [InlineData("image_prices: 0.04", "image_prices", "expected a mapping, got a string")]
    [InlineData("input_per_mtok: -1", "input_per_mtok", "must not be negative, got '-1'")]
    [InlineData("output_per_mtok: abc", "output_per_mtok", "expected a number, got 'abc'")]
    [InlineData("cached_input_per_mtok: 1,5", "cached_input_per_mtok", "expected a number, got '1,5'")]
    [InlineData("input_per_mtok: [1]", "input_per_mtok", "expected a number, got a list")]
    [InlineData("per_second: -0.1", "per_second", "must not be negative, got '-0.1'")]
    [InlineData("input_per_mchar: lots", "input_per_mchar", "expected a number, got 'lots'")]
    [InlineData("weight: 0", "weight", "must be a positive whole number, got '0'")]
    [InlineData("weight: -2", "weight", "must be a positive whole number, got '-2'")]
    [InlineData("weight: 1.5", "weight", "expected a whole number, got '1.5'")]
    [InlineData("weight: heavy", "weight", "expected a number, got 'heavy'")]
    [InlineData("weight: 99999999999", "weight", "must be a positive whole number, got '99999999999'")]
    public void Bad_deployment_values(string field, string key, string message)
    {
        var error = TestConfig.SingleError($"{Providers}\nmodels:\n  m:\n    - provider: openai\n      model: x\n      {field}\n");

        TestConfig.AssertError(error, 8, $"models.m[0].{key}", message);
    }

    [Fact]
    public void Empty_list_is_an_error()
    {
        var error = TestConfig.SingleError($"{Providers}\nmodels:\n  m: []\n");

        TestConfig.AssertError(error, 5, "models.m", "model 'm' has no deployments (list at least one)");
    }

    [Fact]
    public void Missing_list_is_an_error()
    {
        var error = TestConfig.SingleError($"{Providers}\nmodels:\n  m:\n  n: {{ provider: openai, model: x }}\n");

        TestConfig.AssertError(error, 5, "models.m", "model 'm' has no deployments (list at least one)");
    }

    [Fact]
    public void Deployment_must_be_a_mapping()
    {
        var error = TestConfig.SingleError($"{Providers}\nmodels:\n  m: openai/gpt-4o\n");

        TestConfig.AssertError(error, 5, "models.m", "expected a list, got a string");
    }

    [Fact]
    public void Every_bad_deployment_is_reported()
    {
        var result = TestConfig.Load($$"""
            {{Providers}}
            models:
              a:
                - { provider: nope, model: x }
                - { provider: openai, model: y, weight: 0 }
              b: { provider: gone, model: z }
            """);

        Assert.Equal(3, result.Errors.Length);
        TestConfig.HasError(result, 6, "models.a[0].provider", "provider 'nope' is not defined (defined: openai, local)");
        TestConfig.HasError(result, 7, "models.a[1].weight", "must be a positive whole number, got '0'");
        TestConfig.HasError(result, 8, "models.b.provider", "provider 'gone' is not defined (defined: openai, local)");
    }

    [Fact]
    public void Model_names_may_not_contain_spaces()
    {
        var error = TestConfig.SingleError($"{Providers}\nmodels:\n  \"gpt 4o\": {{ provider: openai, model: x }}\n");

        TestConfig.AssertError(error, 5, "models.gpt 4o", "invalid model name 'gpt 4o' (no spaces or control characters)");
    }

    [Theory]
    [InlineData("fold", SystemMessageHandling.Fold)]
    [InlineData("keep", SystemMessageHandling.Keep)]
    public void System_messages_is_read_for_an_anthropic_deployment(string text, SystemMessageHandling expected)
    {
        var config = TestConfig.LoadOk($"providers:\n  claude: {{ type: anthropic, base_url: https://api.anthropic.com }}\nmodels:\n  m: {{ provider: claude, model: claude-sonnet-4-5, system_messages: {text} }}\n");
        Assert.Equal(expected, Assert.Single(Assert.Single(config.Models).Deployments).SystemMessages);
    }

    [Fact]
    public void System_messages_defaults_to_the_model_family()
    {
        Assert.Null(LoadDeployment("{ provider: openai, model: gpt-4o }").SystemMessages);
    }

    [Fact]
    public void System_messages_takes_only_fold_or_keep()
    {
        var error = TestConfig.SingleError("providers:\n  claude: { type: anthropic, base_url: https://api.anthropic.com }\nmodels:\n  m: { provider: claude, model: c, system_messages: drop }\n");
        TestConfig.AssertError(error, 4, "models.m.system_messages", "unknown system_messages 'drop' (allowed: fold, keep)");
    }

    [Fact]
    public void System_messages_on_a_provider_that_is_not_anthropic_is_an_error()
    {
        var error = DeploymentError("{ provider: openai, model: gpt-4o, system_messages: fold }");
        TestConfig.AssertError(error, 6, "models.m[0].system_messages",
            "system_messages is only valid for a deployment of an anthropic provider ('openai' is not one)");
    }

    [Fact]
    public void Api_defaults_to_chat() =>
        Assert.Equal(DeploymentApi.Chat, LoadDeployment("{ provider: openai, model: gpt-4o }").Api);

    [Theory]
    [InlineData("openai", "chat", DeploymentApi.Chat)]
    [InlineData("openai", "responses", DeploymentApi.Responses)]
    [InlineData("local", "responses", DeploymentApi.Responses)]
    public void Api_is_read(string provider, string text, DeploymentApi expected) =>
        Assert.Equal(expected, LoadDeployment($"{{ provider: {provider}, model: gpt-5-codex, api: {text} }}").Api);

    [Fact]
    public void Api_responses_is_read_for_an_azure_deployment()
    {
        var config = TestConfig.LoadOk("providers:\n  az: { type: azure-openai, base_url: https://x.openai.azure.com }\nmodels:\n  m: { provider: az, model: codex, api: responses }\n");
        Assert.Equal(DeploymentApi.Responses, Assert.Single(Assert.Single(config.Models).Deployments).Api);
    }

    [Fact]
    public void Api_takes_only_chat_or_responses()
    {
        var error = DeploymentError("{ provider: openai, model: gpt-4o, api: completions }");
        TestConfig.AssertError(error, 6, "models.m[0].api", "unknown api 'completions' (allowed: chat, responses)");
    }

    [Theory]
    [InlineData("anthropic", "https://api.anthropic.com")]
    [InlineData("gemini", "https://generativelanguage.googleapis.com")]
    public void Api_responses_on_a_type_without_the_responses_api_is_an_error(string type, string url)
    {
        var error = TestConfig.SingleError($"providers:\n  other: {{ type: {type}, base_url: {url} }}\nmodels:\n  m:\n    - {{ provider: other, model: x, api: responses }}\n");
        TestConfig.AssertError(error, 5, "models.m[0].api",
            "api: responses is only valid for a deployment of an openai or azure-openai provider ('other' is not one)");
    }

    [Fact]
    public void Api_chat_is_valid_on_every_type() =>
        Assert.Equal(DeploymentApi.Chat, Assert.Single(Assert.Single(TestConfig.LoadOk(
            "providers:\n  claude: { type: anthropic, base_url: https://api.anthropic.com }\nmodels:\n  m: { provider: claude, model: claude-sonnet-4-5, api: chat }\n").Models).Deployments).Api);
}
