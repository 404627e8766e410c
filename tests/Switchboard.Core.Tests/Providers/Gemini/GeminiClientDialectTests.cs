using System.Buffers;
using Switchboard.Errors;
using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>The Gemini client dialect's whole answers, errors and stream ends, as Google's SDKs read them.</summary>
public sealed class GeminiClientDialectTests
{
    [Fact]
    public void A_whole_answer_is_a_GenerateContentResponse_with_calls_thoughts_and_usage()
    {
        var response = new ChatResponse
        {
            Id = "chatcmpl-1",
            Model = "gpt-4o-mini",
            Choices = [new ChatChoice(0, new Message
            {
                Role = ChatRole.Assistant,
                Parts = [new ThinkingPart("hmm", "sig-a"), new TextPart("Let me look."), new ToolCallPart("call_1", "read_file", """{"file_path":"a"}""")],
            }) { FinishReason = FinishReason.ToolCalls }],
            Usage = new Usage { PromptTokens = 100, CompletionTokens = 30, ReasoningTokens = 10, CachedPromptTokens = 40 },
        };
        var output = new ArrayBufferWriter<byte>();
        GeminiClientDialect.Generate.WriteResponse(response, new ChatRequest { Model = "m" }, output);
        var root = JsonDocument.Parse(output.WrittenMemory).RootElement;

        var candidate = root.GetProperty("candidates")[0];
        Assert.Equal("STOP", candidate.GetProperty("finishReason").GetString());
        var parts = candidate.GetProperty("content").GetProperty("parts");
        Assert.Equal("model", candidate.GetProperty("content").GetProperty("role").GetString());
        Assert.Equal(("hmm", true, "sig-a"), (parts[0].GetProperty("text").GetString(), parts[0].GetProperty("thought").GetBoolean(), parts[0].GetProperty("thoughtSignature").GetString()));
        Assert.Equal("Let me look.", parts[1].GetProperty("text").GetString());
        var call = parts[2].GetProperty("functionCall");
        Assert.Equal(("call_1", "read_file"), (call.GetProperty("id").GetString(), call.GetProperty("name").GetString()));
        JsonSemantic.Equal("""{"file_path":"a"}""", call.GetProperty("args").GetRawText());
        var usage = root.GetProperty("usageMetadata");
        Assert.Equal((100, 20, 10, 40, 130), (usage.GetProperty("promptTokenCount").GetInt32(), usage.GetProperty("candidatesTokenCount").GetInt32(),
            usage.GetProperty("thoughtsTokenCount").GetInt32(), usage.GetProperty("cachedContentTokenCount").GetInt32(), usage.GetProperty("totalTokenCount").GetInt32()));
        Assert.Equal(("gpt-4o-mini", "chatcmpl-1"), (root.GetProperty("modelVersion").GetString(), root.GetProperty("responseId").GetString()));
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT")]
    [InlineData(401, "UNAUTHENTICATED")]
    [InlineData(403, "PERMISSION_DENIED")]
    [InlineData(404, "NOT_FOUND")]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    [InlineData(500, "INTERNAL")]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    public void Errors_take_Googles_shape_and_status_name(int status, string name)
    {
        var root = JsonDocument.Parse(GeminiErrorWriter.ToUtf8Bytes(status, "went wrong")).RootElement;
        var error = root.GetProperty("error");
        Assert.Equal((status, "went wrong", name), (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString(), error.GetProperty("status").GetString()));
    }

    [Fact]
    public void A_failed_stream_ends_with_an_error_frame_never_a_finish()
    {
        foreach (var jsonArray in new[] { false, true })
        {
            var output = new ArrayBufferWriter<byte>();
            using var writer = new GeminiStreamWriter(jsonArray);
            writer.Write([new StreamStartEvent("r1", "m", 0), new TextDeltaEvent(0, "partial")], output);
            writer.Fail(output, 502, "upstream broke");
            var text = Encoding.UTF8.GetString(output.WrittenSpan);
            var responses = jsonArray
                ? JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList()
                : GeminiClientAccumulation.SseFrames(text);
            var accumulation = GeminiClientAccumulation.Of(responses);
            Assert.Equal("partial", accumulation.Text.ToString());
            Assert.Null(accumulation.FinishReason);
            Assert.Contains("\"UNAVAILABLE\"", Assert.Single(accumulation.Errors));
        }
    }

    [Fact]
    public void The_JSON_array_stream_is_one_JSON_array_even_when_empty()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new GeminiStreamWriter(jsonArray: true))
        {
            writer.Complete(output);
        }
        var array = JsonDocument.Parse(output.WrittenMemory).RootElement;
        Assert.Equal("STOP", Assert.Single(array.EnumerateArray().ToList()).GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }
}
