namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>Malformed Anthropic requests yield the parameter path and message a 400 needs; requests
/// Anthropic cannot serve are refused by the writer with the offending parameter.</summary>
public sealed class AnthropicRequestValidationTests
{
    private const string User = """{"role":"user","content":"hi"}""";

    private static void AssertError(string json, string? param, string message, string? code = null)
    {
        var result = AnthropicMessagesRequestReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess, "expected the request to be refused");
        Assert.Equal(param, result.Error!.Param);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
        if (code is not null)
        {
            Assert.Equal(code, result.Error.Code);
        }
    }

    private static string With(string messages, string extra = "") =>
        $$"""{"model":"m","max_tokens":10,"messages":[{{messages}}]{{extra}}}""";

    [Theory]
    [InlineData("", null, "request body is empty")]
    [InlineData("[]", null, "request body must be a JSON object")]
    [InlineData("""{"model":"m",""", null, "request body is not valid JSON")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "model", "is required")]
    [InlineData("""{"model":"","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "model", "must be a non-empty string")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens", "is required")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens", "must be at least 1, got 0")]
    [InlineData("""{"model":"m","max_tokens":"ten","messages":[{"role":"user","content":"hi"}]}""", "max_tokens", "must be an integer")]
    [InlineData("""{"model":"m","max_tokens":10}""", "messages", "is required")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":{}}""", "messages", "must be a non-empty array")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[]}""", "messages", "must be a non-empty array")]
    public void Body_and_required_members(string json, string? param, string message) => AssertError(json, param, message);

    [Theory]
    [InlineData("\"hi\"", "messages[0]", "must be an object")]
    [InlineData("""{"content":"x"}""", "messages[0].role", "is required")]
    [InlineData("""{"role":"system","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]}""", "messages[0].content[0].type", "'tool_use' is not allowed in system messages")]
    [InlineData("""{"role":"robot","content":"x"}""", "messages[0].role", "'robot' is not a valid role")]
    [InlineData("""{"role":"user"}""", "messages[0].content", "is required")]
    [InlineData("""{"role":"user","content":5}""", "messages[0].content", "must be a string or an array of content blocks")]
    [InlineData("""{"role":"user","content":["hi"]}""", "messages[0].content[0]", "must be an object")]
    [InlineData("""{"role":"user","content":[{"text":"hi"}]}""", "messages[0].content[0].type", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"text"}]}""", "messages[0].content[0].text", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"text","text":3}]}""", "messages[0].content[0].text", "must be a string")]
    [InlineData("""{"role":"user","content":[{"type":"image","source":{"type":"base64","data":"AAA"}}]}""", "messages[0].content[0].source.media_type", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"image"}]}""", "messages[0].content[0].source", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"document","source":{"media_type":"application/pdf"}}]}""", "messages[0].content[0].source.type", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"tool_result","content":"x"}]}""", "messages[0].content[0].tool_use_id", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text"}]}]}""", "messages[0].content[0].content[0].text", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]}""", "messages[0].content[0].type", "'tool_use' is not allowed in user messages")]
    [InlineData("""{"role":"assistant","content":[{"type":"tool_result","tool_use_id":"t"}]}""", "messages[0].content[0].type", "'tool_result' is not allowed in assistant messages")]
    [InlineData("""{"role":"user","content":[{"type":"thinking","thinking":"x","signature":"s"}]}""", "messages[0].content[0].type", "'thinking' is not allowed in user messages")]
    [InlineData("""{"role":"assistant","content":[{"type":"tool_use","name":"f","input":{}}]}""", "messages[0].content[0].id", "is required")]
    [InlineData("""{"role":"assistant","content":[{"type":"tool_use","id":"t","input":{}}]}""", "messages[0].content[0].name", "is required")]
    [InlineData("""{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f"}]}""", "messages[0].content[0].input", "is required")]
    [InlineData("""{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":"{}"}]}""", "messages[0].content[0].input", "must be an object")]
    [InlineData("""{"role":"assistant","content":[{"type":"thinking","signature":"s"}]}""", "messages[0].content[0].thinking", "is required")]
    [InlineData("""{"role":"assistant","content":[{"type":"redacted_thinking"}]}""", "messages[0].content[0].data", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"text","text":"x","cache_control":"ephemeral"}]}""", "messages[0].content[0].cache_control", "must be an object")]
    public void Messages_and_blocks(string message, string param, string error) => AssertError(With(message), param, error);

    [Theory]
    [InlineData(""","system":5""", "system", "must be a string or an array of content blocks")]
    [InlineData(""","system":[{"type":"image","source":{"type":"url","url":"https://x"}}]""", "system[0].type", "'image' is not allowed in system")]
    [InlineData(""","temperature":1.5""", "temperature", "must be between 0 and 1, got 1.5")]
    [InlineData(""","top_p":"x" """, "top_p", "must be a number")]
    [InlineData(""","top_k":-1""", "top_k", "must be at least 0, got -1")]
    [InlineData(""","stop_sequences":"END" """, "stop_sequences", "must be an array of strings")]
    [InlineData(""","stop_sequences":[1]""", "stop_sequences[0]", "must be a string")]
    [InlineData(""","stream":"yes" """, "stream", "must be a boolean")]
    [InlineData(""","metadata":[]""", "metadata", "must be an object")]
    [InlineData(""","tools":{}""", "tools", "must be an array")]
    [InlineData(""","tools":[{"description":"d","input_schema":{}}]""", "tools[0].name", "is required")]
    [InlineData(""","tools":[{"name":"f"}]""", "tools[0].input_schema", "is required")]
    [InlineData(""","tools":[{"name":"f","input_schema":"{}"}]""", "tools[0].input_schema", "must be an object")]
    [InlineData(""","tools":[{"type":"web_search_20250305"}]""", "tools[0].name", "is required")]
    [InlineData(""","tool_choice":"auto" """, "tool_choice", "must be an object")]
    [InlineData(""","tool_choice":{}""", "tool_choice.type", "is required")]
    [InlineData(""","tool_choice":{"type":"tool"}""", "tool_choice.name", "is required")]
    [InlineData(""","thinking":true""", "thinking", "must be an object")]
    [InlineData(""","thinking":{"budget_tokens":2000}""", "thinking.type", "is required")]
    [InlineData(""","thinking":{"type":"enabled"}""", "thinking.budget_tokens", "is required")]
    [InlineData(""","thinking":{"type":"enabled","budget_tokens":"lots"}""", "thinking.budget_tokens", "must be a non-negative integer")]
    [InlineData(""","output_config":"high" """, "output_config", "must be an object")]
    public void Top_level_members(string extra, string param, string error) => AssertError(With(User, extra), param, error);

    [Fact]
    public void Trailing_data_is_refused() =>
        AssertError(With(User) + " {}", null, "request body is not valid JSON");

    private static ValidationError WriteError(string openAIRequest)
    {
        var result = AnthropicMessagesRequestWriter.WriteToUtf8Bytes(Canon.Request(openAIRequest));
        Assert.False(result.IsSuccess, "expected the writer to refuse the request");
        return result.Error!;
    }

    [Theory]
    [InlineData(""","n":3""", "n", "one completion per request; n must be 1, got 3")]
    [InlineData(""","logprobs":true""", "logprobs", "do not return log probabilities")]
    [InlineData(""","logprobs":false,"top_logprobs":2""", "top_logprobs", "do not return log probabilities")]
    public void What_Anthropic_cannot_do_is_refused(string extra, string param, string message)
    {
        var error = WriteError($$"""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]{{extra}}}""");
        Assert.Equal(param, error.Param);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\\\"city\\\":", "must be a JSON object")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("\\\"Oslo\\\"", "must be a JSON object")]
    [InlineData("{} {}", "must be a JSON object")]
    public void Tool_arguments_that_are_not_a_JSON_object_are_refused_with_their_path(string arguments, string message)
    {
        var error = WriteError($$$"""
            {"model":"claude-sonnet-4-5","messages":[
              {"role":"user","content":"hi"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},
                {"id":"b","type":"function","function":{"name":"f","arguments":"{{{arguments}}}"}}]},
              {"role":"tool","tool_call_id":"a","content":"1"},{"role":"tool","tool_call_id":"b","content":"2"}]}
            """);
        Assert.Equal("messages[1].tool_calls[1].function.arguments", error.Param);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_tool_calls_and_audio_are_refused()
    {
        var custom = AnthropicMessagesRequestWriter.WriteToUtf8Bytes(
            Canon.Request(LocalFixtures.Bytes("requests/thinking-history.json")) with { ResponseFormat = null });
        Assert.False(custom.IsSuccess);
        Assert.Equal("messages[2].content[4]", custom.Error!.Param);
        Assert.Contains("custom (free-text) tool call 'grep'", custom.Error.Message, StringComparison.Ordinal);

        var audio = WriteError("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}""");
        Assert.Equal("messages[0].content[0]", audio.Param);
        Assert.Contains("audio input is not supported", audio.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conversation_with_nothing_left_to_send_is_refused()
    {
        var error = WriteError("""{"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"only instructions"}]}""");
        Assert.Equal("messages", error.Param);
    }
}
