using Anthropic;
using Anthropic.Models.Messages;

namespace Switchboard.Tests.EndToEnd;

/// <summary>The official Anthropic C# SDK pointed at the gateway (as Claude Code would be), on every upstream wire.</summary>
public sealed class AnthropicSdkTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    public static TheoryData<string> Upstreams => new() { "gpt", "claude", "gemini" };

    protected override string ExtraProviders => AnthropicAndGeminiProviders;

    protected override string ExtraModels => ModelPerUpstream;

    private AnthropicClient Client() => new() { ApiKey = TestConfigs.AliceKey, BaseUrl = Gateway.BaseUrl, MaxRetries = 0 };

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Sdk_create_returns_the_answer_and_usage(string model)
    {
        var message = await Client().Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 100,
            Messages = [new UserMessageParam { Content = "hello from the sdk" }],
        });

        var text = string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));
        Assert.Equal("Echo: hello from the sdk", text);
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Sdk_streaming_yields_text_deltas_in_order(string model)
    {
        var text = "";
        var stopped = false;
        await foreach (var e in Client().Messages.CreateStreaming(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 100,
            Messages = [new UserMessageParam { Content = "stream through the sdk" }],
        }))
        {
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var t)) text += t.Text;
            if (e.TryPickStop(out _)) stopped = true;
        }
        Assert.Equal("Echo: stream through the sdk", text);
        Assert.True(stopped);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Sdk_tool_use_comes_back_with_its_input(string model)
    {
        var message = await Client().Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 200,
            Tools =
            [
                new Tool
                {
                    Name = "get_weather",
                    Description = "Weather for a city",
                    InputSchema = new InputSchema
                    {
                        Properties = new Dictionary<string, System.Text.Json.JsonElement>
                        {
                            ["city"] = System.Text.Json.JsonDocument.Parse("""{"type":"string"}""").RootElement,
                        },
                        Required = ["city"],
                    },
                },
            ],
            Messages = [new UserMessageParam { Content = "weather in Oslo?" }],
        });

        var toolUse = message.Content.Select(b => b.TryPickToolUse(out var u) ? u : null).Single(u => u is not null)!;
        Assert.Equal("get_weather", toolUse.Name);
        Assert.Equal("sample", toolUse.Input["city"].GetString());
    }
}
