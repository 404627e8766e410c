namespace Switchboard.Config.Tests;

/// <summary>No provider key, virtual key or master key may ever appear in an error (CONTRACT §6).</summary>
public sealed class SecretTests
{
    private static readonly Dictionary<string, string> SecretEnv = new()
    {
        ["OPENAI_API_KEY"] = "sk-env-openai-SECRET",
        ["MASTER"] = "mk-env-SECRET",
        ["DEMO_KEY"] = "vk-env-SECRET",
    };

    private static void AssertNoSecret(string yaml)
    {
        var result = TestConfig.Load(yaml, SecretEnv);

        Assert.False(result.Ok);
        foreach (var error in result.Errors)
        {
            Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    // Wrong types on secret fields: the message names the type, never the value.
    [InlineData("master_key: [mk-literal-SECRET]\n")]
    [InlineData("master_key: { mk-literal-SECRET: 1 }\n")]
    [InlineData("providers:\n  p: { type: openai, base_url: http://l/v1, api_key: [sk-literal-SECRET] }\n")]
    [InlineData("providers:\n  p: { type: openai, base_url: http://l/v1, api_key: { k: sk-literal-SECRET } }\n")]
    [InlineData("keys:\n  - { key: [vk-literal-SECRET], name: a }\n")]
    [InlineData("keys:\n  - { key: { v: vk-literal-SECRET }, name: a }\n")]
    // Duplicate secrets, literal and from the environment.
    [InlineData("keys:\n  - { key: vk-literal-SECRET, name: a }\n  - { key: vk-literal-SECRET, name: b }\n")]
    [InlineData("keys:\n  - { key: \"${DEMO_KEY}\", name: a }\n  - { key: \"${DEMO_KEY}\", name: b }\n")]
    // Malformed references inside a literal secret are not quoted back.
    [InlineData("master_key: \"mk-${literal-SECRET}\"\n")]
    [InlineData("providers:\n  p: { type: openai, base_url: http://l/v1, api_key: \"sk-${SECRET\" }\n")]
    [InlineData("keys:\n  - { key: \"vk-${1SECRET}\", name: a }\n")]
    // Header values may be credentials too.
    [InlineData("providers:\n  p: { type: openai, base_url: http://l/v1, headers: { Authorization: [Bearer-SECRET] } }\n")]
    [InlineData("providers:\n  p: { type: openai, base_url: http://l/v1, headers: { Authorization: \"Bearer ${X-SECRET}\" } }\n")]
    // A postgres URL carries a password.
    [InlineData("database: [postgres://u:pw-SECRET@h/db]\n")]
    [InlineData("database: \"postgres://u:${pw-SECRET}@h/db\"\n")]
    public void Secrets_never_appear_in_errors(string yaml) => AssertNoSecret(yaml);

    [Fact]
    public void A_broken_file_full_of_secrets_reports_no_secret()
    {
        AssertNoSecret("""
            master_key: ${MASTER}
            providers:
              openai: { type: openai, base_url: not-a-url, api_key: ${OPENAI_API_KEY}, bogus: 1 }
              other: { type: nope, base_url: http://x/v1, api_key: sk-literal-SECRET }
            models:
              m: { provider: missing, model: x, weight: 0 }
            keys:
              - { key: ${DEMO_KEY}, name: a, rpm: fast }
              - { key: ${DEMO_KEY}, name: a, models: [nope] }
              - { key: vk-literal-SECRET, name: c, budget_usd: -1 }
              - { key: vk-literal-SECRET, name: d, unknown: x }
            """);
    }

    [Fact]
    public void Exception_message_contains_no_secret()
    {
        var result = TestConfig.Load("keys:\n  - { key: vk-literal-SECRET, name: a }\n  - { key: vk-literal-SECRET, name: a }\n");

        var exception = Assert.Throws<Switchboard.Config.ConfigException>(() => result.GetConfigOrThrow());

        Assert.Equal(2, exception.Errors.Count);
        Assert.DoesNotContain("SECRET", exception.Message, StringComparison.Ordinal);
    }
}
