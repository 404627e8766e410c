namespace Switchboard.Tests.Support;

/// <summary>Config files the end-to-end tests run the gateway with, pointing at the mock upstream.</summary>
public static class TestConfigs
{
    public const string MasterKey = "sb-master-test-key-000";
    public const string AliceKey = "sb-alice-secret-111";
    public const string BobKey = "sb-bob-secret-222";

    /// <summary>Keys, two models on the mock, an embeddings model, an Azure deployment and a knob-driven failing provider.</summary>
    public static string WithKeys(string mockUrl, string extraProviders = "", string extraModels = "", string extraTopLevel = "") => $$"""
        master_key: {{MasterKey}}
        {{extraTopLevel}}
        providers:
          mock:  { type: openai, base_url: "{{mockUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          azure: { type: azure-openai, base_url: "{{mockUrl}}", api_key: "{{MockUpstreamFixture.ProviderKey}}", api_version: "2024-10-21" }
        {{extraProviders}}
        models:
          chat:
            - { provider: mock, model: gpt-4o-mini, input_per_mtok: 0.15, output_per_mtok: 0.6 }
          other:
            - { provider: mock, model: gpt-4o }
          embed:
            - { provider: mock, model: text-embedding-3-small }
          azure-chat:
            - { provider: azure, model: gpt-4o-mini }
        {{extraModels}}
        keys:
          - { key: {{AliceKey}}, name: alice }
          - { key: {{BobKey}}, name: bob, models: [chat] }
        """;
}
