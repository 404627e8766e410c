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
        Assert.Equal(("", GatewayThinking.Prefix + "c2lnLWNhbGw="), ((string)blocks[1]["thinking"]!, (string)blocks[1]["signature"]!));
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
        Assert.Equal(GatewayThinking.Prefix + "c2lnLWNhbGw=", (string)content[2]!["signature"]!);
        // A thought summary has no signature of its own; it is never left with "", which Claude refuses in a later turn.
        Assert.Equal(GatewayThinking.Prefix, (string)content[0]!["signature"]!);
    }

    [Fact]
    public void Stream_thought_summary_gets_a_gateway_signature_never_an_empty_one()
    {
        List<StreamEvent> events =
        [
            new StreamStartEvent("r4", "gemini-2.5-flash", 0),
            new ThinkingDeltaEvent(0, "Thinking about: hi"),
            new TextDeltaEvent(0, "Echo: hi"),
            new FinishEvent(0, FinishReason.Stop),
        ];
        var blocks = AnthropicAccumulation.Of(AnthropicSse.WriteAnthropic([events])).Blocks.ToList();
        Assert.Equal(("Thinking about: hi", GatewayThinking.Prefix), ((string)blocks[0]["thinking"]!, (string)blocks[0]["signature"]!));
    }

    /// <summary>The next turn, as Claude Code sends it back after a Gemini turn with a thought summary and a signed call.</summary>
    private const string NextTurn = """
        {"model":"m","max_tokens":100,"messages":[
         {"role":"user","content":"read it"},
         {"role":"assistant","content":[
           {"type":"thinking","thinking":"Thinking about: read it","signature":"switchboard.v1."},
           {"type":"thinking","thinking":"","signature":"switchboard.v1.c2lnLWNhbGw="},
           {"type":"tool_use","id":"call_1","name":"Read","input":{"file_path":"/x"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"ok"}]}]}
        """;

    [Fact]
    public void A_later_turn_to_Gemini_gets_Geminis_own_signature_back_on_the_call()
    {
        var request = AnthropicRequestRoundTripTests.Read(Encoding.UTF8.GetBytes(NextTurn));
        var written = Switchboard.Providers.Gemini.GeminiRequestWriter.WriteToUtf8Bytes(request);
        Assert.True(written.IsSuccess, written.Error?.ToString());
        var parts = JsonDocument.Parse(written.Value).RootElement.GetProperty("contents")[1].GetProperty("parts");
        var call = parts.EnumerateArray().Single(p => p.TryGetProperty("functionCall", out _));
        Assert.Equal("c2lnLWNhbGw=", call.GetProperty("thoughtSignature").GetString());
        Assert.DoesNotContain(GatewayThinking.Prefix, Encoding.UTF8.GetString(written.Value), StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_turn_relayed_to_Anthropic_leaves_the_gateways_thinking_blocks_out()
    {
        var body = Encoding.UTF8.GetBytes(NextTurn);
        Assert.True(GatewayThinking.MayContain(body));
        using var output = new Switchboard.Http.PooledBuffer();
        Assert.True(GatewayThinking.TryStrip(body, output));
        var assistant = JsonDocument.Parse(output.Memory).RootElement.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal(["tool_use"], assistant.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        // A body with Claude's own thinking is not touched.
        Assert.False(GatewayThinking.MayContain("""{"messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"EqQBCkg"}]}]}"""u8));
    }
}
