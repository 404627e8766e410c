using System.Buffers;
using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>
/// What a Google Gen AI SDK client (Gemini CLI) accumulates from a <c>streamGenerateContent</c> answer, computed from
/// the frames' JSON independently of the code under test: answer text, thought text, every thought signature, the
/// function calls, the last finish reason and the last usage.
/// </summary>
public sealed class GeminiClientAccumulation
{
    public StringBuilder Text { get; } = new();

    public StringBuilder Thoughts { get; } = new();

    public List<string> Signatures { get; } = [];

    public List<(string? Id, string Name, string Args)> Calls { get; } = [];

    public string? FinishReason { get; private set; }

    public JsonElement? Usage { get; private set; }

    public List<string> Errors { get; } = [];

    public int UsageNumber(string name) => Usage is { } u && u.TryGetProperty(name, out var v) ? v.GetInt32() : 0;

    public static GeminiClientAccumulation Of(IEnumerable<string> responses)
    {
        var accumulation = new GeminiClientAccumulation();
        foreach (var response in responses) accumulation.Add(JsonDocument.Parse(response).RootElement.Clone());
        return accumulation;
    }

    /// <summary>The <c>data:</c> payloads of an SSE answer as Google frames it (<c>\r\n\r\n</c> between events).</summary>
    public static List<string> SseFrames(string text)
    {
        var frames = new List<string>();
        foreach (var frame in text.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", frame);
            Assert.DoesNotContain('\n', frame);
            frames.Add(frame["data: ".Length..]);
        }
        return frames;
    }

    /// <summary>Canonical event batches written by <see cref="GeminiStreamWriter"/> (SSE), completed, as frames.</summary>
    public static List<string> Write(IEnumerable<List<StreamEvent>> batches, bool jsonArray = false)
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new GeminiStreamWriter(jsonArray);
        foreach (var batch in batches) writer.Write(batch, output);
        writer.Complete(output);
        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        if (!jsonArray) return SseFrames(text);
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    private void Add(JsonElement response)
    {
        if (response.TryGetProperty("error", out var error)) Errors.Add(error.GetRawText());
        if (response.TryGetProperty("usageMetadata", out var usage)) Usage = usage;
        if (!response.TryGetProperty("candidates", out var candidates)) return;
        foreach (var candidate in candidates.EnumerateArray())
        {
            // The first candidate, as the SDK's response.text and Gemini CLI read it.
            if (candidate.TryGetProperty("index", out var index) && index.GetInt32() != 0) continue;
            if (candidate.TryGetProperty("finishReason", out var finish)) FinishReason = finish.GetString();
            if (!candidate.TryGetProperty("content", out var content) || !content.TryGetProperty("parts", out var parts)) continue;
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("thoughtSignature", out var signature)) Signatures.Add(signature.GetString()!);
                if (part.TryGetProperty("functionCall", out var call))
                {
                    Calls.Add((call.TryGetProperty("id", out var id) ? id.GetString() : null, call.GetProperty("name").GetString()!, call.GetProperty("args").GetRawText()));
                }
                else if (part.TryGetProperty("text", out var text))
                {
                    var thought = part.TryGetProperty("thought", out var t) && t.GetBoolean();
                    (thought ? Thoughts : Text).Append(text.GetString());
                }
            }
        }
    }
}
