using System.Buffers;
using Switchboard.Providers;

namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>
/// OpenAI requests the Anthropic writer must adapt for the model: each change is noted (the gateway names the fields in
/// <c>x-switchboard-adjusted</c> and the ledger), and a request that goes as sent notes nothing.
/// </summary>
public sealed class AnthropicAdjustmentsTests
{
    private static (JsonElement Body, string? Adjusted) Write(string model, string extra, string? tools = null)
    {
        var request = Canon.Request($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]{{tools}}{{extra}}}""");
        var adjustments = new RequestAdjustments();
        var buffer = new ArrayBufferWriter<byte>();
        var error = AnthropicMessagesRequestWriter.Write(request, buffer, adjustments: adjustments);
        Assert.Null(error);
        return (JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone(), adjustments.Joined);
    }

    private const string Tools = ""","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]""";

    [Fact]
    public void A_budget_that_does_not_fit_max_tokens_is_shrunk_and_noted()
    {
        var (body, adjusted) = Write("claude-sonnet-4-5", ""","reasoning_effort":"high","max_completion_tokens":2000""");
        Assert.Equal(1500, body.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        Assert.Equal("reasoning_effort", adjusted);

        var (off, offAdjusted) = Write("claude-sonnet-4-5", ""","reasoning_effort":"high","max_completion_tokens":1200""");
        Assert.False(off.TryGetProperty("thinking", out _));
        Assert.Equal("reasoning_effort", offAdjusted);
    }

    [Fact]
    public void Thinking_left_out_for_a_forced_tool_is_noted()
    {
        var (body, adjusted) = Write("claude-sonnet-4-5", ""","tool_choice":"required","reasoning_effort":"high" """, Tools);
        Assert.False(body.TryGetProperty("thinking", out _));
        Assert.Equal("reasoning_effort", adjusted);
    }

    /// <summary>Regression: a tool turn from a client that does not send thinking back (Gemini CLI drops thought parts,
    /// OpenAI chat has no place for them) with reasoning on was a 400 from Anthropic ("a final assistant message must
    /// start with a thinking block").</summary>
    [Fact]
    public void Thinking_is_left_off_for_a_tool_turn_whose_assistant_message_has_no_thinking_block()
    {
        const string history = ""","messages":[{"role":"user","content":"weather?"},""" +
            """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},""" +
            """{"role":"tool","tool_call_id":"call_1","content":"sunny"}]""";
        var request = Canon.Request($$"""{"model":"claude-sonnet-4-5","reasoning_effort":"high"{{Tools}}{{history}}}""");
        var adjustments = new RequestAdjustments();
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(AnthropicMessagesRequestWriter.Write(request, buffer, adjustments: adjustments));

        var body = JsonDocument.Parse(buffer.WrittenMemory).RootElement;
        Assert.False(body.TryGetProperty("thinking", out _));
        Assert.Equal("reasoning_effort", adjustments.Joined);
        Assert.Equal("tool_use", body.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("type").GetString());

        // The next turn, which starts over from the user, thinks again.
        var (next, nextAdjusted) = Write("claude-sonnet-4-5", ""","reasoning_effort":"high" """, Tools);
        Assert.True(next.TryGetProperty("thinking", out _));
        Assert.Null(nextAdjusted);
    }

    [Fact]
    public void Sampling_dropped_beside_thinking_is_noted_field_by_field()
    {
        var (body, adjusted) = Write("claude-sonnet-4-5", ""","reasoning_effort":"low","temperature":0.5,"top_p":0.5""");
        Assert.True(body.TryGetProperty("thinking", out _));
        Assert.False(body.TryGetProperty("temperature", out _));
        Assert.False(body.TryGetProperty("top_p", out _));
        Assert.Equal("temperature,top_p", adjusted);
    }

    [Fact]
    public void A_temperature_above_Anthropics_range_is_clamped_and_noted()
    {
        var (body, adjusted) = Write("claude-3-5-haiku-latest", ""","temperature":1.5""");
        Assert.Equal(1, body.GetProperty("temperature").GetDouble());
        Assert.Equal("temperature", adjusted);
    }

    [Fact]
    public void Thinking_asked_of_a_model_without_it_is_noted()
    {
        var (body, adjusted) = Write("claude-3-5-haiku-latest", ""","reasoning_effort":"low" """);
        Assert.False(body.TryGetProperty("thinking", out _));
        Assert.Equal("reasoning_effort", adjusted);
    }

    [Fact]
    public void A_request_the_model_takes_as_sent_notes_nothing()
    {
        var (_, adjusted) = Write("claude-sonnet-4-5", ""","reasoning_effort":"low","max_completion_tokens":8000,"temperature":1""", Tools);
        Assert.Null(adjusted);
    }

    [Fact]
    public void An_Anthropic_clients_thinking_is_named_as_it_sent_it()
    {
        Assert.Equal("thinking", RequestAdjustments.ReasoningField(AnthropicMessagesDialect.Name));
        Assert.Equal("reasoning", RequestAdjustments.ReasoningField(Switchboard.Providers.OpenAI.Responses.ResponsesDialect.Name));
        Assert.Equal("reasoning_effort", RequestAdjustments.ReasoningField(OpenAIChatDialect.Name));
    }
}
