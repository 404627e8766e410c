using Switchboard.Config;

namespace Switchboard.Config.Tests;

/// <summary>Helpers shared by the loader tests: inline YAML, a fake environment, error assertions.</summary>
internal static class TestConfig
{
    public const string Source = "test.yaml";

    /// <summary>A valid providers + models preamble (lines 1-4) for tests that only care about later sections.</summary>
    public const string Preamble = """
        providers:
          openai: { type: openai, base_url: https://api.openai.com/v1 }
        models:
          gpt-4o: { provider: openai, model: gpt-4o }
        """;

    public static ConfigLoadResult Load(string yaml, IReadOnlyDictionary<string, string>? env = null) =>
        ConfigLoader.LoadText(yaml, Source, ProviderTypes, Env(env));

    /// <summary>The gateway's provider types (the loader knows none by name).</summary>
    public static IProviderTypeRules ProviderTypes => Switchboard.Providers.ProviderRegistry.Default;

    public static Func<string, string?> Env(IReadOnlyDictionary<string, string>? env) =>
        name => env is not null && env.TryGetValue(name, out var value) ? value : null;

    public static GatewayConfig LoadOk(string yaml, IReadOnlyDictionary<string, string>? env = null)
    {
        var result = Load(yaml, env);
        Assert.True(result.Ok, "expected no errors, got:\n" + string.Join("\n", result.Errors));
        Assert.NotNull(result.Config);
        return result.Config;
    }

    /// <summary>Loads YAML that must fail with exactly one error, and returns it.</summary>
    public static ConfigError SingleError(string yaml, IReadOnlyDictionary<string, string>? env = null)
    {
        var result = Load(yaml, env);
        Assert.False(result.Ok);
        Assert.Null(result.Config);
        Assert.True(result.Errors.Length == 1, "expected exactly one error, got:\n" + string.Join("\n", result.Errors));
        return result.Errors[0];
    }

    /// <summary>Asserts the result holds an error at <paramref name="line"/> with this path and message.</summary>
    public static ConfigError HasError(ConfigLoadResult result, int line, string keyPath, string message)
    {
        Assert.False(result.Ok);
        var match = result.Errors.FirstOrDefault(e => e.Line == line && e.KeyPath == keyPath && e.Message == message);
        Assert.True(match is not null,
            $"expected error at line {line} '{keyPath}: {message}', got:\n" + string.Join("\n", result.Errors));
        Assert.Equal(Source, match.File);
        return match;
    }

    public static void AssertError(ConfigError error, int line, string keyPath, string message)
    {
        Assert.Equal(Source, error.File);
        Assert.Equal(message, error.Message);
        Assert.Equal(keyPath, error.KeyPath);
        Assert.Equal(line, error.Line);
    }

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
