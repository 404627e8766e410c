namespace Switchboard.Config.Tests;

public sealed class FallbackTests
{
    private const string Models = """
        providers:
          p: { type: openai, base_url: http://localhost/v1 }
        models:
          a: { provider: p, model: a }
          b: { provider: p, model: b }
          c: { provider: p, model: c }
        """;

    [Fact]
    public void Chains_are_kept_in_order()
    {
        var config = TestConfig.LoadOk($"{Models}\nfallbacks:\n  a: [c, b]\n  b: a\n");

        Assert.Equal<string>(["c", "b"], config.Fallbacks["a"]);
        Assert.Equal<string>(["a"], config.Fallbacks["b"]);
        Assert.False(config.Fallbacks.ContainsKey("c"));
    }

    [Fact]
    public void Source_model_must_be_defined()
    {
        var error = TestConfig.SingleError($"{Models}\nfallbacks:\n  gpt-5: [a]\n");

        TestConfig.AssertError(error, 8, "fallbacks.gpt-5", "model 'gpt-5' is not defined (defined: a, b, c)");
    }

    [Fact]
    public void Target_models_must_be_defined()
    {
        var error = TestConfig.SingleError($"{Models}\nfallbacks:\n  a:\n    - b\n    - zzz\n");

        TestConfig.AssertError(error, 10, "fallbacks.a[1]", "model 'zzz' is not defined (defined: a, b, c)");
    }

    [Fact]
    public void A_model_may_not_fall_back_to_itself()
    {
        var error = TestConfig.SingleError($"{Models}\nfallbacks:\n  a: [b, a]\n");

        TestConfig.AssertError(error, 8, "fallbacks.a[1]", "model 'a' cannot fall back to itself");
    }

    [Fact]
    public void A_model_may_not_be_listed_twice()
    {
        var error = TestConfig.SingleError($"{Models}\nfallbacks:\n  a: [b, b]\n");

        TestConfig.AssertError(error, 8, "fallbacks.a[1]", "model 'b' is listed twice");
    }

    [Fact]
    public void Chain_must_be_a_list_of_names()
    {
        var error = TestConfig.SingleError($"{Models}\nfallbacks:\n  a: {{ b: c }}\n");

        TestConfig.AssertError(error, 8, "fallbacks.a", "expected a list, got a mapping");
    }

    [Fact]
    public void Fallbacks_must_be_a_mapping()
    {
        var error = TestConfig.SingleError($"{Models}\nfallbacks: [a, b]\n");

        TestConfig.AssertError(error, 7, "fallbacks", "expected a mapping, got a list");
    }
}
