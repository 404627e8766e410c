namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>
/// Gemini signs a function call on the call itself and a plain answer on its last text part. An Anthropic client
/// (Claude Code) gets the call's signature as a thinking block just before the tool_use (so the next turn can send it
/// back), and no thinking block after the final text (which would hide the answer from clients that read the last block).
/// </summary>
public sealed class GeminiSignaturesForAnthropicClientsTests
{
    private static List<string> Types(List<SseEvent> frames) =>
        AnthropicAccumulation.Of(frames).Blocks.Select(b => (string)b["type"]!).ToList();

    [Fact]
    public void Stream_trailing_text_signature_leaves_no_block_after_the_answer()
    {
        List<StreamEvent> events =
        [
            new StreamStartEvent("r1", "gemini-2.5-flash", 0),
            new ThinkingDeltaEvent(0, "Thinking about: hi"),
            new TextDeltaEvent(0, "Echo: hi"),
            new SignatureDeltaEvent(0, "c2lnLXRleHQ="),
            new FinishEvent(0, FinishReason.Stop),
        ];
        var frames = AnthropicSse.WriteAnthropic([events]);
        RecordedAnthropicStreamGoldenTests.AssertMessagesGrammar(frames);
        Assert.Equal(["thinking", "text"], Types(frames));
    }

    [Fact]
    public void Stream_call_signature_becomes_a_thinking_block_before_the_tool_use()
    {
        List<StreamEvent> events =
        [
            new StreamStartEvent("r2", "gemini-2.5-flash", 0),
            new ThinkingDeltaEvent(0, "Thinking about: read it"),
            new ToolCallStartEvent(0, 0, "call_1", "Read") { Signature = "c2lnLWNhbGw=" },
            new ToolCallArgumentsDeltaEvent(0, 0, """{"file_path":"/x"}"""),
            new FinishEvent(0, FinishReason.ToolCalls),
        ];
        var frames = AnthropicSse.WriteAnthropic([events]);
        RecordedAnthropicStreamGoldenTests.AssertMessagesGrammar(frames);
        var blocks = AnthropicAccumulation.Of(frames).Blocks.ToList();
        Assert.Equal(["thinking", "thinking", "tool_use"], blocks.Select(b => (string)b["type"]!));
        Assert.Equal(("", "c2lnLWNhbGw="), ((string)blocks[1]["thinking"]!, (string)blocks[1]["signature"]!));
    }

    [Fact]
    public void Response_puts_the_call_signature_before_the_tool_use_and_drops_a_trailing_one()
    {
        var response = new ChatResponse
        {
            Id = "r3",
            Model = "gemini-2.5-flash",
            Choices =
            [
                new ChatChoice(0, new Message
                    {
                        Role = ChatRole.Assistant,
                        Parts =
                        [
                            new ThinkingPart("plan", null),
                            new TextPart("Reading."),
                            new ToolCallPart("call_1", "Read", """{"file_path":"/x"}""") { Signature = "c2lnLWNhbGw=" },
                            new TextPart("Done."),
                            new ThinkingPart("", "c2lnLXRleHQ="),
                        ],
                    })
                { FinishReason = FinishReason.ToolCalls },
            ],
        };
        var json = System.Text.Json.Nodes.JsonNode.Parse(AnthropicMessagesResponseWriter.WriteToUtf8Bytes(response))!;
        var content = json["content"]!.AsArray();
        Assert.Equal(["thinking", "text", "thinking", "tool_use", "text"], content.Select(b => (string)b!["type"]!));
        Assert.Equal("c2lnLWNhbGw=", (string)content[2]!["signature"]!);
    }
}
