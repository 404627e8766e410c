namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>chat.completion bodies ⇄ <see cref="ChatResponse"/>.</summary>
public sealed class ResponseTests
{
    public static IEnumerable<object[]> ResponseFixtures() => LocalFixtures.Files("responses", "*.json");

    private static ChatResponse Load(string name) => Canon.Response(LocalFixtures.Bytes($"responses/{name}"));

    [Theory]
    [MemberData(nameof(ResponseFixtures))]
    public void Read_then_write_is_exact(string fixture)
    {
        var original = LocalFixtures.Bytes(fixture);
        JsonSemantic.Equal(original, OpenAIChatResponseWriter.WriteToUtf8Bytes(Canon.Response(original)));
    }

    [Fact]
    public void Tool_calls_and_usage_details()
    {
        var response = Load("tool-calls.json");

        Assert.Equal(("chatcmpl-BXYZ1234toolcalls", "gpt-4o-2024-08-06", 1746000000L, "fp_07871e2ad8"),
            (response.Id, response.Model, response.Created, response.SystemFingerprint));
        var choice = Assert.Single(response.Choices);
        Assert.Equal(FinishReason.ToolCalls, choice.FinishReason);
        Assert.Null(choice.Logprobs);
        var calls = choice.Message.Parts.Cast<ToolCallPart>().ToList();
        Assert.Equal([("call_a1", "get_weather", """{"city":"Paris"}"""), ("call_b2", "get_time", "{}")], calls.Select(c => (c.Id!, c.Name, c.Arguments)));
        Assert.Equal("annotations", Assert.Single(choice.Message.Extensions).Name);
        Assert.Equal("service_tier", Assert.Single(response.Extensions).Name);

        var usage = response.Usage!;
        Assert.Equal((120, 40, 160), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens));
        Assert.Equal(64, usage.CachedPromptTokens);
        Assert.Equal(0, usage.ReasoningTokens);
        Assert.Null(usage.CacheCreationPromptTokens);
        Assert.Equal((0, 0, 0, 0), (usage.AudioPromptTokens, usage.AudioCompletionTokens, usage.AcceptedPredictionTokens, usage.RejectedPredictionTokens));
    }

    [Fact]
    public void Reasoning_content_is_thinking()
    {
        var response = Load("reasoning-two-choices.json");

        Assert.Equal(2, response.Choices.Length);
        var first = response.Choices[0].Message.Parts;
        Assert.Equal(new ThinkingPart("6 times 7 is 42."), first[0]);
        Assert.Equal(new TextPart("The answer is 42."), first[1]);
        Assert.Equal(FinishReason.Length, response.Choices[1].FinishReason);
        Assert.Equal(250, response.Usage!.ReasoningTokens);
        Assert.Equal(0, response.Usage.CachedPromptTokens);
    }

    [Fact]
    public void Thinking_blocks_keep_signatures()
    {
        var response = Load("thinking-blocks.json");
        var parts = response.Choices[0].Message.Parts;

        Assert.Equal(new ThinkingPart("The previous result was 925. Now I need to divide that by 5.", "EvQBCkYICxgCKkAxhD4NUKFz"), parts[0]);
        Assert.Equal(new RedactedThinkingPart("EmwKAhgBEgy3va3pzix"), parts[1]);
        Assert.Equal(new TextPart("925 ÷ 5 = 185"), parts[2]);
        Assert.Equal("EqsFCqgF", Assert.IsType<ToolCallPart>(parts[3]).Signature);
        Assert.Equal((2000, 0), (response.Usage!.CachedPromptTokens, response.Usage.CacheCreationPromptTokens));
    }

    [Fact]
    public void Refusal_logprobs_and_unknown_finish_reasons()
    {
        var response = Load("refusal-logprobs.json");

        var first = response.Choices[0];
        Assert.Equal(new RefusalPart("I'm sorry, I can't help with that."), Assert.Single(first.Message.Parts));
        Assert.Equal(FinishReason.ContentFilter, first.FinishReason);
        Assert.Equal(2, first.Logprobs!.Value.GetProperty("refusal").GetArrayLength());
        Assert.Equal(new FinishReason(FinishReasonKind.Other, "eos"), response.Choices[1].FinishReason);
    }

    [Fact]
    public void Legacy_function_call()
    {
        var response = Load("legacy-function-call.json");
        var call = Assert.IsType<ToolCallPart>(Assert.Single(response.Choices[0].Message.Parts));
        Assert.Equal((null, "add"), (call.Id, call.Name));
        Assert.Equal(FinishReasonKind.ToolCalls, response.Choices[0].FinishReason!.Kind);
        Assert.Equal("function_call", OpenAIChatFinishReasons.ToWire(response.Choices[0].FinishReason!));
    }

    [Fact]
    public void DeepSeek_cache_hits_become_cached_tokens()
    {
        var response = Canon.Response(Encoding.UTF8.GetBytes("""
            {"id":"x","object":"chat.completion","created":1,"model":"deepseek-chat",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":100,"completion_tokens":5,"total_tokens":105,"prompt_cache_hit_tokens":96,"prompt_cache_miss_tokens":4}}
            """));
        Assert.Equal(96, response.Usage!.CachedPromptTokens);
    }

    [Fact]
    public void Response_from_another_dialect_is_written_as_OpenAI_sends_it()
    {
        var response = new ChatResponse
        {
            Id = "msg_01Y6V41gqPaKWEw7iPouH7iW",
            Model = "claude-sonnet-4-5-20250929",
            Created = 1746000000,
            SourceDialect = "anthropic-messages",
            Choices =
            [
                new ChatChoice(0, new Message
                {
                    Role = ChatRole.Assistant,
                    Parts = [new ThinkingPart("Think.", "sig"), new TextPart("Done.")],
                    Extensions = [new ExtensionField("stop_sequence", default)],
                })
                { FinishReason = new FinishReason(FinishReasonKind.Stop, "end_turn") },
            ],
            Usage = new Usage { PromptTokens = 69, CompletionTokens = 2, CachedPromptTokens = 0, CacheCreationPromptTokens = 0 },
            Extensions = [new ExtensionField("type", default)],
        };

        JsonSemantic.Equal("""
            {
              "id": "msg_01Y6V41gqPaKWEw7iPouH7iW",
              "object": "chat.completion",
              "created": 1746000000,
              "model": "smart",
              "choices": [{
                "index": 0,
                "message": {
                  "role": "assistant",
                  "content": "Done.",
                  "refusal": null,
                  "reasoning_content": "Think.",
                  "thinking_blocks": [{ "type": "thinking", "thinking": "Think.", "signature": "sig" }]
                },
                "logprobs": null,
                "finish_reason": "stop"
              }],
              "usage": {
                "prompt_tokens": 69, "completion_tokens": 2, "total_tokens": 71,
                "prompt_tokens_details": { "cached_tokens": 0, "cache_write_tokens": 0 }
              }
            }
            """, Canon.Utf8(OpenAIChatResponseWriter.WriteToUtf8Bytes(response, model: "smart")));
    }

    [Fact]
    public void Malformed_responses_are_reported()
    {
        var notJson = OpenAIChatResponseReader.Read("{"u8);
        Assert.Equal(ValidationError.InvalidJson, notJson.Error!.Code);
        var noMessage = OpenAIChatResponseReader.Read("""{"id":"x","choices":[{"index":0,"finish_reason":"stop"}]}"""u8);
        Assert.Equal("choices[0].message: is required", noMessage.Error!.ToString());
    }
}
