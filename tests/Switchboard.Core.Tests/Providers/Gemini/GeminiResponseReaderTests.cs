using Switchboard.Providers.Gemini;
using static Switchboard.Core.Tests.Providers.Gemini.GeminiPipeline;

namespace Switchboard.Core.Tests.Providers.Gemini;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>Gemini <c>generateContent</c> bodies (Fixtures/gemini/responses, pretty-printed as the API sends
/// them) read into canonical facts, and on to what an OpenAI client receives.</summary>
public sealed class GeminiResponseReaderTests
{
    private static JsonElement AsOpenAI(ChatResponse response) => ParseJson(Canon.Utf8(OpenAIChatResponseWriter.WriteToUtf8Bytes(response)));

    [Fact]
    public void Text_response_with_cache_reads()
    {
        var response = ReadResponse("gemini/responses/text.json");

        Assert.Equal("mAitaLmkHPPlz7IPvtfUqQ4", response.Id);
        Assert.Equal("gemini-2.5-flash", response.Model);
        Assert.Equal(GeminiDialect.Name, response.SourceDialect);
        Assert.True(response.Created > 1_700_000_000);
        var choice = Assert.Single(response.Choices);
        Assert.Equal(0, choice.Index);
        Assert.Equal(ChatRole.Assistant, choice.Message.Role);
        Assert.Equal(["text:Hello! How can I help you today?"], Show(choice.Message.Parts));
        Assert.Equal(new FinishReason(FinishReasonKind.Stop, "STOP"), choice.FinishReason);
        Assert.Equal(new Usage { PromptTokens = 1200, CompletionTokens = 9, TotalTokens = 1209, CachedPromptTokens = 1024 }, response.Usage);

        var openAI = AsOpenAI(response);
        Assert.Equal("stop", openAI.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(1024, openAI.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void Thought_parts_become_thinking_and_a_signature_on_text_is_kept_before_it()
    {
        var response = ReadResponse("gemini/responses/thinking.json");

        Assert.Equal(
            [
                "thinking:**Counting letters**\n\nI spell it out: s-t-r-a-w-b-e-r-r-y.|",
                "thinking:|CsUBAR_SIG_TEXT",
                "text:There are 3 r's in strawberry.",
            ],
            Show(response.Choices[0].Message.Parts));
        Assert.Equal(new Usage { PromptTokens = 12, CompletionTokens = 310, TotalTokens = 322, ReasoningTokens = 300 }, response.Usage);

        var message = AsOpenAI(response).GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("There are 3 r's in strawberry.", message.GetProperty("content").GetString());
        Assert.Equal("**Counting letters**\n\nI spell it out: s-t-r-a-w-b-e-r-r-y.", message.GetProperty("reasoning_content").GetString());
        Assert.Contains(message.GetProperty("thinking_blocks").EnumerateArray(), b => b.TryGetProperty("signature", out var s) && s.GetString() == "CsUBAR_SIG_TEXT");
    }

    [Fact]
    public void Parallel_function_calls_keep_ids_signature_and_compact_arguments()
    {
        var response = ReadResponse("gemini/responses/parallel-function-calls.json");
        var choice = Assert.Single(response.Choices);
        var parts = choice.Message.Parts;

        Assert.Equal("text:Let me check both cities.", Show(parts[0]));
        var first = Assert.IsType<ToolCallPart>(parts[1]);
        Assert.Matches("^call_[0-9a-f]{24}$", first.Id);
        Assert.Equal("get_weather", first.Name);
        Assert.Equal("""{"city":"Paris","units":"c"}""", first.Arguments);
        Assert.Equal("EqUCCqICAb_SIG_CALL", first.Signature);
        var second = Assert.IsType<ToolCallPart>(parts[2]);
        Assert.Equal("gemini-call-2", second.Id);
        Assert.Equal("""{"city":"Tōkyō"}""", second.Arguments);
        Assert.Null(second.Signature);
        Assert.Equal(new FinishReason(FinishReasonKind.ToolCalls, "STOP"), choice.FinishReason);

        var openAI = AsOpenAI(response).GetProperty("choices")[0];
        Assert.Equal("tool_calls", openAI.GetProperty("finish_reason").GetString());
        var calls = openAI.GetProperty("message").GetProperty("tool_calls");
        Assert.Equal(first.Id, calls[0].GetProperty("id").GetString());
        Assert.Equal("EqUCCqICAb_SIG_CALL", calls[0].GetProperty("extra_content").GetProperty("google").GetProperty("thought_signature").GetString());
    }

    [Fact]
    public void Answer_read_from_Gemini_goes_back_to_Gemini_as_it_came()
    {
        // Next turn of the same conversation: the model's message, then the tool results.
        var response = ReadResponse("gemini/responses/parallel-function-calls.json");
        var message = response.Choices[0].Message;
        var calls = message.Parts.OfType<ToolCallPart>().ToList();
        var request = new ChatRequest
        {
            Model = "m",
            Messages =
            [
                Message.FromText(ChatRole.User, "Weather in Paris and Tokyo?"),
                message,
                new Message { Role = ChatRole.Tool, Parts = [new ToolResultPart(calls[0].Id) { Content = [new TextPart("18C")] }] },
                new Message { Role = ChatRole.Tool, Parts = [new ToolResultPart(calls[1].Id) { Content = [new TextPart("25C")] }] },
            ],
        };

        var sent = ParseJson(WriteGemini(request)).GetProperty("contents");
        var original = ParseJson(Encoding.UTF8.GetString(LocalFixtures.Bytes("gemini/responses/parallel-function-calls.json")))
            .GetProperty("candidates")[0].GetProperty("content");
        Assert.Equal("model", sent[1].GetProperty("role").GetString());
        var sentParts = sent[1].GetProperty("parts");
        var originalParts = original.GetProperty("parts");
        Assert.Equal(originalParts.GetArrayLength(), sentParts.GetArrayLength());
        JsonSemantic.Equal(originalParts[0].GetRawText(), sentParts[0].GetRawText());
        Assert.Equal(originalParts[1].GetProperty("thoughtSignature").GetString(), sentParts[1].GetProperty("thoughtSignature").GetString());
        JsonSemantic.Equal(originalParts[1].GetProperty("functionCall").GetProperty("args").GetRawText(), sentParts[1].GetProperty("functionCall").GetProperty("args").GetRawText());
        JsonSemantic.Equal(originalParts[2].GetRawText(), sentParts[2].GetRawText());
        var results = sent[2].GetProperty("parts");
        Assert.Equal(2, results.GetArrayLength());
        Assert.All(results.EnumerateArray(), r => Assert.Equal("get_weather", r.GetProperty("functionResponse").GetProperty("name").GetString()));
    }

    [Fact]
    public void Blocked_prompt_is_a_content_filter_refusal()
    {
        var response = ReadResponse("gemini/responses/prompt-blocked.json");
        var choice = Assert.Single(response.Choices);

        Assert.Equal(new FinishReason(FinishReasonKind.ContentFilter, "PROHIBITED_CONTENT"), choice.FinishReason);
        var refusal = Assert.IsType<RefusalPart>(Assert.Single(choice.Message.Parts));
        Assert.Contains("PROHIBITED_CONTENT", refusal.Refusal, StringComparison.Ordinal);
        Assert.Equal(7, response.Usage!.PromptTokens);
        Assert.Equal(0, response.Usage.CompletionTokens);

        var openAI = AsOpenAI(response).GetProperty("choices")[0];
        Assert.Equal("content_filter", openAI.GetProperty("finish_reason").GetString());
        Assert.Equal(refusal.Refusal, openAI.GetProperty("message").GetProperty("refusal").GetString());
    }

    [Fact]
    public void Candidate_stopped_for_safety_is_content_filter_with_no_content()
    {
        var response = ReadResponse("gemini/responses/candidate-safety.json");
        var choice = Assert.Single(response.Choices);
        Assert.Equal(new FinishReason(FinishReasonKind.ContentFilter, "SAFETY"), choice.FinishReason);
        Assert.Empty(choice.Message.Parts);
    }

    [Fact]
    public void Max_tokens_is_length_and_a_missing_response_id_is_made_up()
    {
        var response = ReadResponse("gemini/responses/max-tokens.json");
        Assert.Equal(FinishReasonKind.Length, response.Choices[0].FinishReason!.Kind);
        Assert.Equal("MAX_TOKENS", response.Choices[0].FinishReason!.Value);
        Assert.StartsWith("gemini-", response.Id, StringComparison.Ordinal);
        Assert.Equal("length", AsOpenAI(response).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void Candidates_become_choices_with_logprobs_in_OpenAI_shape()
    {
        var response = ReadResponse("gemini/responses/two-candidates-logprobs.json");

        Assert.Equal([0, 1], response.Choices.Select(c => c.Index));
        Assert.Equal(["text:Yes"], Show(response.Choices[0].Message.Parts));
        Assert.Equal(["text:No"], Show(response.Choices[1].Message.Parts));
        JsonSemantic.Equal(
            """
            {"content":[{"token":"Yes","logprob":-0.05,"bytes":[89,101,115],
              "top_logprobs":[{"token":"Yes","logprob":-0.05,"bytes":[89,101,115]},{"token":"No","logprob":-3.1,"bytes":[78,111]}]}],
             "refusal":null}
            """,
            response.Choices[0].Logprobs!.Value.GetRawText());
    }

    [Theory]
    [InlineData("OTHER", FinishReasonKind.Other)]
    [InlineData("MALFORMED_FUNCTION_CALL", FinishReasonKind.Other)]
    [InlineData("RECITATION", FinishReasonKind.ContentFilter)]
    [InlineData("BLOCKLIST", FinishReasonKind.ContentFilter)]
    [InlineData("SPII", FinishReasonKind.ContentFilter)]
    [InlineData("IMAGE_SAFETY", FinishReasonKind.ContentFilter)]
    public void Other_finish_reasons_are_mapped_or_kept_raw(string wire, FinishReasonKind kind)
    {
        var reason = GeminiFinishReasons.FromWire(wire, hasToolCalls: false);
        Assert.Equal(new FinishReason(kind, wire), reason);
        Assert.Equal(kind == FinishReasonKind.Other ? wire : "content_filter", OpenAIChatFinishReasons.ToWire(reason));
    }

    [Theory]
    [InlineData("[]", ValidationError.InvalidType)]
    [InlineData("{\"candidates\": {}}", ValidationError.InvalidType)]
    [InlineData("{\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"args\": {}}}]}}]}", ValidationError.MissingRequiredParameter)]
    [InlineData("{\"candidates\": [", ValidationError.InvalidJson)]
    public void Malformed_bodies_are_errors(string body, string code)
    {
        var result = GeminiResponseReader.Read(Encoding.UTF8.GetBytes(body));
        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error.Code);
    }
}
