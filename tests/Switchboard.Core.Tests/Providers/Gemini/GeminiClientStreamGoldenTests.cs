using Switchboard.Core.Tests.Providers.Anthropic;
using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>
/// Golden tests of the Gemini client dialect's stream writer over real recorded provider streams (shared/fixtures,
/// read in place): each upstream stream is read into canonical events and written as Gemini's
/// <c>streamGenerateContent</c>; what a Gemini client accumulates must hold what the provider said, the expectations
/// taken from the recording itself.
/// </summary>
public sealed class GeminiClientStreamGoldenTests
{
    public static IEnumerable<object[]> GeminiStreams() =>
        SharedFixtures.Directory is null ? [] : [["generate-stream-text-thinking.sse"], ["generate-stream-tool-call.sse"]];

    [SharedFixtureTheory]
    [MemberData(nameof(GeminiStreams))]
    public void Gemini_stream_rewritten_for_a_Gemini_client_accumulates_to_the_same_answer(string fixture)
    {
        var recorded = GeminiPipeline.Chunks(File.ReadAllText(SharedFixtures.PathOf($"gemini/{fixture}")));
        var expected = GeminiClientAccumulation.Of(recorded);
        var batches = GeminiPipeline.Run(recorded).EventsPerChunk;

        foreach (var jsonArray in new[] { false, true })
        {
            var actual = GeminiClientAccumulation.Of(GeminiClientAccumulation.Write(batches, jsonArray));
            Assert.Equal(expected.Text.ToString(), actual.Text.ToString());
            Assert.Equal(expected.Thoughts.ToString(), actual.Thoughts.ToString());
            Assert.Equal(expected.Signatures, actual.Signatures);
            Assert.Equal(expected.Calls.Select(c => (c.Name, JsonSemantic.Canonical(c.Args))), actual.Calls.Select(c => (c.Name, JsonSemantic.Canonical(c.Args))));
            Assert.Equal(expected.FinishReason, actual.FinishReason);
            foreach (var count in new[] { "promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "totalTokenCount" })
            {
                Assert.Equal(expected.UsageNumber(count), actual.UsageNumber(count));
            }
            Assert.Empty(actual.Errors);
        }
    }

    [SharedFixtureTheory]
    [MemberData(nameof(SharedFixtures.OpenAIStreams), MemberType = typeof(SharedFixtures))]
    public void OpenAI_stream_translated_for_a_Gemini_client_accumulates_to_the_same_answer(string fixture)
    {
        var recorded = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        var expected = StreamTranscript.Of(recorded);
        var reader = new OpenAIChatStreamReader();
        var batches = recorded.Select(chunk =>
        {
            var events = new List<StreamEvent>();
            Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(chunk), events, out var error), error?.ToString());
            return events;
        }).ToList();

        var actual = GeminiClientAccumulation.Of(GeminiClientAccumulation.Write(batches));

        var choice = expected.Choices[0];
        Assert.Equal(choice.Text.ToString() + choice.Refusal, actual.Text.ToString());
        Assert.Equal(choice.Tools.Values.Select(t => (t.Id, t.Name!, JsonSemantic.Canonical(t.Arguments))),
            actual.Calls.Select(c => (c.Id, c.Name, JsonSemantic.Canonical(c.Args))));
        Assert.Equal(choice.Finish switch { "length" => "MAX_TOKENS", "content_filter" => "SAFETY", _ => "STOP" }, actual.FinishReason);
        if (expected.UsageNumber("prompt_tokens") is { } prompt)
        {
            Assert.Equal(prompt, actual.UsageNumber("promptTokenCount"));
            Assert.Equal(expected.UsageNumber("total_tokens"), actual.UsageNumber("totalTokenCount"));
            var reasoning = expected.UsageNumber("reasoning_tokens", "completion_tokens_details") ?? 0;
            Assert.Equal(expected.UsageNumber("completion_tokens") - reasoning, actual.UsageNumber("candidatesTokenCount"));
        }
    }

    [SharedFixtureTheory]
    [MemberData(nameof(AnthropicSse.RecordedStreams), MemberType = typeof(AnthropicSse))]
    public void Anthropic_stream_translated_for_a_Gemini_client_accumulates_to_the_same_answer(string fixture)
    {
        var recorded = AnthropicSse.Recorded(fixture);
        var expected = AnthropicAccumulation.Of(recorded);
        var (batches, _) = AnthropicSse.Read(recorded);

        var actual = GeminiClientAccumulation.Of(GeminiClientAccumulation.Write(batches));

        Assert.Equal(Concat(expected, "text", "text"), actual.Text.ToString());
        Assert.Equal(Concat(expected, "thinking", "thinking"), actual.Thoughts.ToString());
        var signatures = expected.Blocks.Where(b => b["type"]!.GetValue<string>() == "thinking" && b["signature"] is not null)
            .Select(b => b["signature"]!.GetValue<string>()).ToList();
        Assert.Equal(signatures, actual.Signatures);
        var tools = expected.Blocks.Select((block, i) => (block, i)).Where(b => b.block["type"]!.GetValue<string>() == "tool_use").ToList();
        Assert.Equal(tools.Select(t => (t.block["id"]!.GetValue<string>(), t.block["name"]!.GetValue<string>())),
            actual.Calls.Select(c => (c.Id!, c.Name)));
        for (var k = 0; k < tools.Count; k++)
        {
            // A cut stream's partial input is no JSON object: a Gemini client gets empty args rather than a broken call.
            var input = expected.InputOf(tools[k].i) ?? "";
            Assert.Equal(JsonSemantic.Canonical(IsJson(input) ? input : "{}"), JsonSemantic.Canonical(actual.Calls[k].Args));
        }
        Assert.Equal(expected.StopReason switch { "max_tokens" => "MAX_TOKENS", "refusal" => "SAFETY", _ => "STOP" }, actual.FinishReason);
        Assert.Equal(expected.Usage["input_tokens"]!.GetValue<int>() + Cache(expected, "cache_read_input_tokens") + Cache(expected, "cache_creation_input_tokens"),
            actual.UsageNumber("promptTokenCount"));
    }

    private static bool IsJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int Cache(AnthropicAccumulation accumulation, string name) =>
        accumulation.Usage[name] is System.Text.Json.Nodes.JsonValue v ? v.GetValue<int>() : 0;

    private static string Concat(AnthropicAccumulation accumulation, string type, string member) =>
        string.Concat(accumulation.Blocks.Where(b => b["type"]!.GetValue<string>() == type).Select(b => b[member]!.GetValue<string>()));
}
