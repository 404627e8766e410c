using Switchboard.Config;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI.Responses;
using Switchboard.Routing;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

/// <summary>
/// Where a provider's Responses API is, whose key it carries, and which protocol a deployment answers each client with
/// (config <c>responses</c> on the provider, <c>api</c> on the deployment).
/// </summary>
public sealed class ResponsesUpstreamProtocolTests
{
    private static ProviderConfig Provider(string type, string url, bool responses, string name = "p") =>
        new() { Name = name, Type = type, BaseUrl = new Uri(url), ApiKey = "sk-upstream", Responses = responses };

    private static RoutedDeployment Deployment(UpstreamProvider provider, DeploymentApi api) =>
        new(new DeploymentConfig { Provider = provider.Name, Model = "gpt-5-codex", Api = api }, provider);

    [Fact]
    public void Openai_responses_go_to_base_url_responses_with_the_bearer_key()
    {
        using var provider = new UpstreamProvider(Provider("openai", "https://api.openai.com/v1", responses: true));
        var protocol = provider.ResponsesProtocol!;
        using var request = new HttpRequestMessage();
        protocol.Authorize(request.Headers);

        Assert.Equal(Wires.OpenAIResponses, protocol.Wire);
        Assert.Equal(PassthroughRelay.Observed, protocol.Passthrough);
        Assert.Equal("https://api.openai.com/v1/responses", protocol.ChatUri("gpt-5-codex", stream: true).AbsoluteUri);
        Assert.Equal("Bearer sk-upstream", request.Headers.Authorization?.ToString());
    }

    [Fact]
    public void Azure_responses_go_to_its_v1_api_with_the_api_key_header()
    {
        using var provider = new UpstreamProvider(Provider("azure-openai", "https://res.openai.azure.com", responses: true) with { ApiVersion = "2024-10-21" });
        var protocol = provider.ResponsesProtocol!;
        using var request = new HttpRequestMessage();
        protocol.Authorize(request.Headers);

        Assert.Equal("https://res.openai.azure.com/openai/v1/responses", protocol.ChatUri("my-deployment", stream: false).AbsoluteUri);
        Assert.Equal(["sk-upstream"], request.Headers.GetValues("api-key"));
        Assert.Null(request.Headers.Authorization);
    }

    [Fact]
    public void Only_openai_and_azure_have_a_responses_api_and_the_config_rule_agrees()
    {
        var withProtocol = ProviderRegistry.Default.All.Where(t => t.CreateResponsesProtocol is not null).Select(t => t.Name);
        var withRule = ProviderRegistry.Default.All.Where(t => t.ResponsesByDefault is not null).Select(t => t.Name);

        Assert.Equal(["openai", "azure-openai"], withProtocol);
        Assert.Equal(withProtocol, withRule);
    }

    [Fact]
    public void A_provider_builds_its_responses_api_only_when_used()
    {
        using var unused = new UpstreamProvider(Provider("openai", "http://127.0.0.1:1/v1", responses: false), TimeSpan.FromSeconds(1));
        using var needed = new UpstreamProvider(Provider("openai", "http://127.0.0.1:1/v1", responses: false), TimeSpan.FromSeconds(1), responsesNeeded: true);

        Assert.Null(unused.ResponsesProtocol);
        Assert.NotNull(needed.ResponsesProtocol);
    }

    public static TheoryData<bool, DeploymentApi, string, string> Choices => new()
    {
        // responses: true — Responses clients relayed, the others on chat.
        { true, DeploymentApi.Chat, Wires.OpenAIResponses, Wires.OpenAIResponses },
        { true, DeploymentApi.Chat, Wires.OpenAIChat, Wires.OpenAIChat },
        { true, DeploymentApi.Chat, Wires.AnthropicMessages, Wires.OpenAIChat },
        // responses: false — everything on chat (Responses clients translated).
        { false, DeploymentApi.Chat, Wires.OpenAIResponses, Wires.OpenAIChat },
        { false, DeploymentApi.Chat, Wires.AnthropicMessages, Wires.OpenAIChat },
        // api: responses — everything on the Responses API, whatever the provider says.
        { false, DeploymentApi.Responses, Wires.OpenAIResponses, Wires.OpenAIResponses },
        { false, DeploymentApi.Responses, Wires.OpenAIChat, Wires.OpenAIResponses },
        { true, DeploymentApi.Responses, Wires.AnthropicMessages, Wires.OpenAIResponses },
    };

    [Theory]
    [MemberData(nameof(Choices))]
    public void Each_client_wire_gets_the_protocol_the_config_asks_for(bool providerResponses, DeploymentApi api, string clientWire, string expectedWire)
    {
        using var provider = new UpstreamProvider(Provider("openai", "http://127.0.0.1:1/v1", providerResponses), TimeSpan.FromSeconds(1),
            responsesNeeded: api == DeploymentApi.Responses);
        var deployment = Deployment(provider, api);

        Assert.Equal(expectedWire, deployment.ProtocolFor(clientWire)!.Wire);
        // The same protocol object each time: chosen at load, not built per request.
        Assert.Same(deployment.ProtocolFor(clientWire), deployment.ProtocolFor(clientWire));
    }

    [Fact]
    public void A_reload_rebuilds_a_provider_whose_responses_use_changed()
    {
        using var provider = new UpstreamProvider(Provider("openai", "http://127.0.0.1:1/v1", responses: false), TimeSpan.FromSeconds(1));
        var same = Provider("openai", "http://127.0.0.1:1/v1", responses: false);

        Assert.True(provider.CanServe(same, TimeSpan.FromSeconds(1)));
        Assert.False(provider.CanServe(same with { Responses = true }, TimeSpan.FromSeconds(1)));
        // A deployment now needs its Responses API, which this one never built.
        Assert.False(provider.CanServe(same, TimeSpan.FromSeconds(1), responsesNeeded: true));
    }

    [Fact]
    public void A_relayed_responses_body_gets_only_its_model_replaced()
    {
        // Observed passthrough: usage comes in response.completed unasked, so no stream_options is added.
        const string body = """{"model":"codex","stream":true,"input":"hi","max_output_tokens":64,"stream_options":{"include_obfuscation":false}}""";
        var bytes = Encoding.UTF8.GetBytes(body);
        var (head, error) = OpenAIRequestHead.Parse(bytes, OpenAIRequestHead.Kind.Responses);
        Assert.Null(error);
        using var output = new PooledBuffer(16);

        OpenAIBodyRewriter.Rewrite(bytes, head, "gpt-5-codex", output, forceUsage: PassthroughRelay.Observed == PassthroughRelay.UsageOnRequest);

        Assert.Equal(body.Replace("\"codex\"", "\"gpt-5-codex\"", StringComparison.Ordinal), Encoding.UTF8.GetString(output.Span));
        Assert.Equal(64, head.MaxTokens);
    }
}
