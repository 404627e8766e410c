using System.Buffers;
using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>Gemini chunks → <see cref="GeminiStreamReader"/> → canonical events →
/// <see cref="OpenAIChatStreamWriter"/> → OpenAI frames, one upstream chunk at a time as the gateway does.</summary>
public static class GeminiPipeline
{
    public sealed record Result(GeminiStreamReader Reader, List<List<StreamEvent>> EventsPerChunk, List<string> Frames)
    {
        public List<StreamEvent> Events => EventsPerChunk.SelectMany(e => e).ToList();

        public StreamTranscript Transcript => StreamTranscript.Of(Frames);
    }

    public static List<string> Chunks(string sseText) => Sse.Chunks(sseText);

    public static Result Run(IEnumerable<string> chunks, bool includeUsage = true)
    {
        var reader = new GeminiStreamReader();
        var perChunk = new List<List<StreamEvent>>();
        foreach (var chunk in chunks)
        {
            var events = new List<StreamEvent>();
            Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(chunk), events, out var error), error?.ToString());
            perChunk.Add(events);
        }
        var output = StreamPipeline.WriteAll(perChunk, new OpenAIChatStreamWriterOptions { IncludeUsage = includeUsage });
        return new Result(reader, perChunk, Sse.FramesOf(output));
    }

    /// <summary>A part as text, so assertions do not depend on record equality of parts.</summary>
    public static string Show(ContentPart part) => part switch
    {
        TextPart t => $"text:{t.Text}",
        ThinkingPart t => $"thinking:{t.Text}|{t.Signature}",
        RefusalPart r => $"refusal:{r.Refusal}",
        ToolCallPart c => $"call:{c.Id}|{c.Name}|{c.Arguments}|{c.Signature}",
        _ => part.GetType().Name,
    };

    public static List<string> Show(IEnumerable<ContentPart> parts) => parts.Select(Show).ToList();

    public static JsonElement ParseJson(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>The OpenAI request fixture written as a Gemini body.</summary>
    public static string WriteGemini(ChatRequest request, GeminiWriteOptions? options = null)
    {
        var result = GeminiRequestWriter.WriteToUtf8Bytes(request, options);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return Encoding.UTF8.GetString(result.Value);
    }

    public static ValidationError WriteFails(ChatRequest request, GeminiWriteOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var error = GeminiRequestWriter.Write(request, buffer, options);
        Assert.NotNull(error);
        return error;
    }

    public static ChatResponse ReadResponse(string localFixture)
    {
        var result = GeminiResponseReader.Read(LocalFixtures.Bytes(localFixture));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }
}
