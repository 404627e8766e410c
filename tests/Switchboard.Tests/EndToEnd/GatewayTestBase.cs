using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Switchboard.Tests.EndToEnd;

/// <summary>One mock upstream per class; one gateway per class, started from <see cref="TestConfigs.WithKeys"/>.</summary>
public abstract class GatewayTestBase(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IAsyncLifetime
{
    protected MockUpstreamFixture Mock { get; } = mock;
    protected GatewayInstance Gateway { get; private set; } = null!;

    /// <summary>Extra provider lines (indented two spaces) for this class's config.</summary>
    protected virtual string ExtraProviders => "";
    /// <summary>Extra model lines (indented two spaces) for this class's config.</summary>
    protected virtual string ExtraModels => "";

    /// <summary>Provider lines for the mock's Anthropic and Gemini faces, named <c>anthropic</c> and <c>gemini</c>.</summary>
    protected string AnthropicAndGeminiProviders => $$"""
          anthropic: { type: anthropic, base_url: "{{Mock.BaseUrl}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          gemini:    { type: gemini, base_url: "{{Mock.BaseUrl}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    /// <summary>Model lines <c>claude</c> and <c>gemini</c> on <see cref="AnthropicAndGeminiProviders"/>.</summary>
    protected const string ClaudeAndGeminiModels = """
          claude: [{ provider: anthropic, model: claude-sonnet-4-5 }]
          gemini: [{ provider: gemini, model: gemini-2.5-flash-lite }]
        """;

    /// <summary>One model per upstream dialect: <c>gpt</c> on the OpenAI mock, then <see cref="ClaudeAndGeminiModels"/>.</summary>
    protected const string ModelPerUpstream = "  gpt: [{ provider: mock, model: gpt-4o-mini }]\n" + ClaudeAndGeminiModels;

    /// <summary>Extra top-level settings (whole lines at column 0), e.g. a <c>media:</c> section.</summary>
    protected virtual string ExtraTopLevel => "";

    public virtual async Task InitializeAsync() =>
        Gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(Mock.BaseUrl, ExtraProviders, ExtraModels, ExtraTopLevel));

    public virtual async Task DisposeAsync() => await Gateway.DisposeAsync();

    protected OpenAIClientOptions SdkOptions() => new() { Endpoint = new Uri(Gateway.BaseUrl + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) };

    protected ChatClient Chat(string model = "chat", string key = TestConfigs.AliceKey) =>
        new(model, new ApiKeyCredential(key), SdkOptions());

    /// <summary>A client that authenticates as Alice the way the Anthropic SDK does (x-api-key, anthropic-version).</summary>
    protected HttpClient AnthropicHttp()
    {
        var http = Gateway.Client();
        http.DefaultRequestHeaders.Add("x-api-key", TestConfigs.AliceKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return http;
    }

    protected static HttpContent Json(string json) => new StringContent(json, System.Text.Encoding.UTF8, "application/json");
}
