using System.Text.Json.Nodes;
using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>
/// A request as Claude Code 2.1.330 sends it (recorded against the mock, long texts cut; fixture
/// <c>anthropic/claude-code-tool-turn.json</c>): a mid-conversation <c>system</c> message, a deferred tool, adaptive
/// thinking with <c>display: omitted</c>, <c>context_management</c>, <c>output_config.effort</c>, cache_control on a
/// tool result, and a Read call with its result. Every upstream dialect must take it.
/// </summary>
public sealed class ClaudeCodeRequestTests
{
    private static ChatRequest Read()
    {
        var result = AnthropicMessagesRequestReader.Read(LocalFixtures.Bytes("anthropic/claude-code-tool-turn.json"));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!;
    }

    [Fact]
    public void Mid_conversation_system_message_is_read_in_place()
    {
        var request = Read();
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.System, ChatRole.Assistant, ChatRole.User], request.Messages.Select(m => m.Role));
        Assert.StartsWith("# Environment", ((TextPart)request.Messages[2].Parts[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Anthropic_writer_gives_the_system_message_back_where_it_was()
    {
        var written = AnthropicMessagesRequestWriter.WriteToUtf8Bytes(Read());
        Assert.True(written.IsSuccess, written.Error?.ToString());
        JsonSemantic.Equal(LocalFixtures.Text("anthropic/claude-code-tool-turn.json"), Canon.Utf8(written.Value!));
    }

    [Fact]
    public void OpenAI_upstream_gets_the_system_message_in_place_and_no_deferred_tool()
    {
        var body = JsonNode.Parse(OpenAIChatRequestWriter.WriteToUtf8Bytes(Read(), "o4-mini"))!;
        var roles = body["messages"]!.AsArray().Select(m => (string)m!["role"]!).ToList();
        Assert.Equal(["system", "user", "system", "assistant", "tool"], roles);
        Assert.Equal(["Read"], body["tools"]!.AsArray().Select(t => (string)t!["function"]!["name"]!));
        Assert.Null(body["context_management"]);
        Assert.Null(body["output_config"]);
        Assert.Equal("high", (string)body["reasoning_effort"]!);
    }

    [Fact]
    public void Gemini_upstream_gets_the_system_message_as_instruction_and_no_deferred_tool()
    {
        var written = GeminiRequestWriter.WriteToUtf8Bytes(Read(), new GeminiWriteOptions { Model = "gemini-2.5-flash" });
        Assert.True(written.IsSuccess, written.Error?.ToString());
        var body = JsonNode.Parse(written.Value!)!;
        var instruction = string.Concat(body["systemInstruction"]!["parts"]!.AsArray().Select(p => (string)p!["text"]!));
        Assert.Contains("# Environment", instruction, StringComparison.Ordinal);
        Assert.Equal(["user", "model", "user"], body["contents"]!.AsArray().Select(c => (string)c!["role"]!));
        Assert.Equal(["Read"], body["tools"]![0]!["functionDeclarations"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.Equal("Read", (string)body["contents"]![2]!["parts"]![0]!["functionResponse"]!["name"]!);
    }

    [Fact]
    public void A_deferred_tool_the_conversation_called_stays_for_other_upstreams()
    {
        var request = Read();
        var assistant = request.Messages[3];
        var called = assistant with { Parts = [.. assistant.Parts.Select(p => p is ToolCallPart c ? c with { Name = "DeferredToolPlaceholder" } : p)] };
        var body = JsonNode.Parse(OpenAIChatRequestWriter.WriteToUtf8Bytes(request with { Messages = request.Messages.SetItem(3, called) }, "o4-mini"))!;
        Assert.Equal(["DeferredToolPlaceholder", "Read"], body["tools"]!.AsArray().Select(t => (string)t!["function"]!["name"]!));
    }

    [Fact]
    public void System_message_with_a_tool_call_block_is_refused()
    {
        var json = """{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"system","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}""";
        var result = AnthropicMessagesRequestReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess);
        Assert.Equal("messages[1].content[0].type", result.Error!.Param);
    }
}
