namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>Non-streamed answers both ways: Anthropic messages read (for OpenAI clients) and written (for
/// Anthropic clients served by other providers), the JSON-mode answer moved back into the content.</summary>
public sealed class AnthropicResponseTests
{
    public static IEnumerable<object[]> AnthropicResponses() => LocalFixtures.Files("anthropic/responses", "*.json");

    public static IEnumerable<object[]> OpenAIResponses() => LocalFixtures.Files("responses", "*.json");

    private static ChatResponse Read(string fixture, AnthropicReadOptions? options = null)
    {
        var result = AnthropicMessagesResponseReader.Read(LocalFixtures.Bytes(fixture), options);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    [Theory]
    [MemberData(nameof(AnthropicResponses))]
    public void Anthropic_response_read_then_written_is_exact(string fixture)
    {
        var written = AnthropicMessagesResponseWriter.WriteToUtf8Bytes(Read(fixture));
        // The writer serves other providers' answers: every signature it writes is the gateway's, around the provider's own.
        JsonSemantic.Equal(LocalFixtures.Text(fixture), Canon.Utf8(written).Replace(GatewayThinking.Prefix, "", StringComparison.Ordinal));
    }

    [Fact]
    public void Thinking_tool_use_answer_reads_into_neutral_terms_and_OpenAI_accounting()
    {
        var response = Read("anthropic/responses/thinking-tool-use.json");
        Assert.Equal(("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929"), (response.Id, response.Model));
        var choice = Assert.Single(response.Choices);
        Assert.Equal(new FinishReason(FinishReasonKind.ToolCalls, "tool_use"), choice.FinishReason);
        var parts = choice.Message.Parts;
        Assert.Equal("EqQBCkYIBRgCKkB1sig", Assert.IsType<ThinkingPart>(parts[0]).Signature);
        Assert.IsType<RedactedThinkingPart>(parts[1]);
        var call = Assert.IsType<ToolCallPart>(parts[3]);
        JsonSemantic.Equal("""{"city":"Oslo","units":["c"]}""", call.Arguments);
        var usage = response.Usage!;
        Assert.Equal((472 + 1024 + 2048, 89, 2048, 1024), (usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens, usage.CacheCreationPromptTokens));

        using var openai = JsonDocument.Parse(OpenAIChatResponseWriter.WriteToUtf8Bytes(response));
        var root = openai.RootElement;
        var message = root.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("tool_calls", root.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("I'll check the weather in Oslo.", message.GetProperty("content").GetString());
        Assert.Equal("toolu_01T1x1fJ34qAmk2tNTrN7Up6", message.GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("EqQBCkYIBRgCKkB1sig", message.GetProperty("thinking_blocks")[0].GetProperty("signature").GetString());
        Assert.Equal(3544, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2048, root.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void Server_tools_and_citations_stay_Anthropic_only()
    {
        var response = Read("anthropic/responses/server-tools-citations.json");
        var choice = Assert.Single(response.Choices);
        Assert.Equal(new FinishReason(FinishReasonKind.Stop, "stop_sequence"), choice.FinishReason);
        Assert.Equal(["server_tool_use", "web_search_tool_result"], choice.Message.Parts.Take(2).Select(p => ((ProviderPart)p).Type));

        using var openai = JsonDocument.Parse(OpenAIChatResponseWriter.WriteToUtf8Bytes(response));
        var root = openai.RootElement;
        Assert.Equal("It is sunny in Oslo.\n\nEND", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", root.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.False(root.TryGetProperty("container", out _));
    }

    [Fact]
    public void Json_mode_answer_is_moved_back_into_the_content_with_a_natural_stop()
    {
        var options = AnthropicReadOptions.ForRequest(Canon.Request(LocalFixtures.Bytes("anthropic/from-openai/json-schema.openai.json")));
        Assert.Equal("json_response", options.JsonToolName);
        var response = Read("anthropic/responses/json-answer.json", options);
        var choice = Assert.Single(response.Choices);
        Assert.Equal(FinishReasonKind.Stop, choice.FinishReason!.Kind);
        var text = Assert.IsType<TextPart>(Assert.Single(choice.Message.Parts));
        JsonSemantic.Equal("""{"name":"Science fair","date":"Friday","participants":["Alice","Bob"]}""", text.Text);

        using var openai = JsonDocument.Parse(OpenAIChatResponseWriter.WriteToUtf8Bytes(response));
        var openAIChoice = openai.RootElement.GetProperty("choices")[0];
        Assert.Equal("stop", openAIChoice.GetProperty("finish_reason").GetString());
        JsonSemantic.Equal(text.Text, openAIChoice.GetProperty("message").GetProperty("content").GetString()!);
        Assert.False(openAIChoice.GetProperty("message").TryGetProperty("tool_calls", out _));

        // A request without a response format reads the same answer as a tool call.
        Assert.Null(AnthropicReadOptions.ForRequest(Canon.Request("""{"model":"m","messages":[{"role":"user","content":"x"}]}""")).JsonToolName);
        Assert.IsType<ToolCallPart>(Assert.Single(Read("anthropic/responses/json-answer.json").Choices[0].Message.Parts));
    }

    [Theory]
    [MemberData(nameof(OpenAIResponses))]
    public void OpenAI_answers_become_valid_Anthropic_messages(string fixture)
    {
        var response = Canon.Response(LocalFixtures.Bytes(fixture));
        var written = AnthropicMessagesResponseWriter.WriteToUtf8Bytes(response, model: "claude-alias");
        using var document = JsonDocument.Parse(written);
        var root = document.RootElement;
        Assert.StartsWith("msg_", root.GetProperty("id").GetString());
        Assert.Equal(("message", "assistant", "claude-alias"), (root.GetProperty("type").GetString(), root.GetProperty("role").GetString(), root.GetProperty("model").GetString()));

        var reread = AnthropicMessagesResponseReader.Read(written);
        Assert.True(reread.IsSuccess, reread.Error?.ToString());
        var first = response.Choices[0];
        var expectedStop = first.FinishReason?.Kind switch
        {
            FinishReasonKind.Length => "max_tokens",
            FinishReasonKind.ToolCalls => "tool_use",
            FinishReasonKind.ContentFilter => "refusal",
            _ => "end_turn",
        };
        Assert.Equal(expectedStop, root.GetProperty("stop_reason").GetString());
        Assert.Equal(
            first.Message.Parts.OfType<ToolCallPart>().Select(c => c.Name),
            reread.Value.Choices[0].Message.Parts.OfType<ToolCallPart>().Select(c => c.Name));
        var usage = response.Usage!;
        var anthropicUsage = root.GetProperty("usage");
        Assert.Equal(usage.PromptTokens, anthropicUsage.GetProperty("input_tokens").GetInt32() + anthropicUsage.GetProperty("cache_read_input_tokens").GetInt32() + anthropicUsage.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(usage.CompletionTokens, anthropicUsage.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public void OpenAI_tool_calls_answer_in_full()
    {
        var response = Canon.Response(LocalFixtures.Bytes("responses/tool-calls.json"));
        JsonSemantic.Equal("""
            {
              "id": "msg_chatcmpl-BXYZ1234toolcalls", "type": "message", "role": "assistant", "model": "gpt-4o-2024-08-06",
              "content": [
                { "type": "tool_use", "id": "call_a1", "name": "get_weather", "input": { "city": "Paris" } },
                { "type": "tool_use", "id": "call_b2", "name": "get_time", "input": {} }
              ],
              "stop_reason": "tool_use", "stop_sequence": null,
              "usage": { "input_tokens": 56, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 64, "output_tokens": 40 }
            }
            """, Canon.Utf8(AnthropicMessagesResponseWriter.WriteToUtf8Bytes(response)));
    }

    [Fact]
    public void Unsigned_reasoning_refusals_and_broken_arguments_still_reach_an_Anthropic_client()
    {
        var response = new ChatResponse
        {
            Id = "",
            Model = "deepseek-reasoner",
            Choices =
            [
                new ChatChoice(0, new Message
                {
                    Role = ChatRole.Assistant,
                    Parts = [new ThinkingPart("unsigned"), new RefusalPart("No."), new TextPart(""), new ToolCallPart("call_1", "f", "{\"cut"), new ToolCallPart(null, "g", "")],
                }) { FinishReason = new FinishReason(FinishReasonKind.Other, "MALFORMED_FUNCTION_CALL") },
            ],
        };
        using var document = JsonDocument.Parse(AnthropicMessagesResponseWriter.WriteToUtf8Bytes(response));
        var root = document.RootElement;
        Assert.Matches("^msg_[0-9a-f]{32}$", root.GetProperty("id").GetString());
        var content = root.GetProperty("content");
        JsonSemantic.Equal("""{"type":"thinking","thinking":"unsigned","signature":"switchboard.v1."}""", content[0].GetRawText());
        JsonSemantic.Equal("""{"type":"text","text":"No."}""", content[1].GetRawText());
        JsonSemantic.Equal("""{"_raw_arguments":"{\"cut"}""", content[2].GetProperty("input").GetRawText());
        JsonSemantic.Equal("{}", content[3].GetProperty("input").GetRawText());
        Assert.StartsWith("toolu_", content[3].GetProperty("id").GetString());
        Assert.Equal("MALFORMED_FUNCTION_CALL", root.GetProperty("stop_reason").GetString());
        JsonSemantic.Equal("""{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}""", root.GetProperty("usage").GetRawText());
    }

    [Theory]
    [InlineData("""[]""", null, "response body must be a JSON object")]
    [InlineData("""{"id":"msg_1","type":"message"}""", "content", "is required")]
    [InlineData("""{"id":"msg_1","content":{}}""", "content", "must be an array")]
    [InlineData("""{"id":"msg_1","content":[{"type":"tool_use","id":"t","name":"f","input":[]}]}""", "content[0].input", "must be an object")]
    [InlineData("""{"type":"error","error":{"type":"api_error","message":"boom"}}""", null, "the body is an error, not a message")]
    [InlineData("""{"id":""", null, "response body is not valid JSON")]
    public void Malformed_responses_are_refused(string body, string? param, string message)
    {
        var result = AnthropicMessagesResponseReader.Read(System.Text.Encoding.UTF8.GetBytes(body));
        Assert.False(result.IsSuccess);
        Assert.Equal(param, result.Error!.Param);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("end_turn", FinishReasonKind.Stop, "stop", "end_turn")]
    [InlineData("stop_sequence", FinishReasonKind.Stop, "stop", "end_turn")]
    [InlineData("max_tokens", FinishReasonKind.Length, "length", "max_tokens")]
    [InlineData("model_context_window_exceeded", FinishReasonKind.Length, "length", "max_tokens")]
    [InlineData("tool_use", FinishReasonKind.ToolCalls, "tool_calls", "tool_use")]
    [InlineData("refusal", FinishReasonKind.ContentFilter, "content_filter", "refusal")]
    [InlineData("pause_turn", FinishReasonKind.Other, "pause_turn", "pause_turn")]
    public void Stop_reasons_map_both_ways(string anthropic, FinishReasonKind kind, string openAI, string backThroughOpenAI)
    {
        var reason = AnthropicStopReasons.FromWire(anthropic);
        Assert.Equal((kind, anthropic), (reason.Kind, reason.Value));
        // Anthropic's own word survives a same-dialect trip; OpenAI's word maps to the kind's usual one.
        Assert.Equal(anthropic, AnthropicStopReasons.ToWire(reason));
        Assert.Equal(openAI, OpenAIChatFinishReasons.ToWire(reason));
        Assert.Equal(backThroughOpenAI, AnthropicStopReasons.ToWire(OpenAIChatFinishReasons.FromWire(openAI)));
    }
}
