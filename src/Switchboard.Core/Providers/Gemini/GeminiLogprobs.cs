using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Turns a candidate's <c>logprobsResult</c> (<c>chosenCandidates[i]</c> with the alternatives in
/// <c>topCandidates[i].candidates</c>) into OpenAI's <c>logprobs</c> shape, which is what canonical
/// <see cref="Translation.Canonical.ChatChoice.Logprobs"/> holds: <c>{"content": [{token, logprob, bytes, top_logprobs}]}</c>.
/// Only read when the client asked for logprobs.
/// </summary>
internal static class GeminiLogprobs
{
    public static JsonElement? ToOpenAI(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object
            || !result.TryGetProperty("chosenCandidates"u8, out var chosen) || chosen.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var hasTop = result.TryGetProperty("topCandidates"u8, out var topArray) && topArray.ValueKind == JsonValueKind.Array;
        var top = hasTop ? topArray.EnumerateArray() : default;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WireWriting.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("content"u8);
            foreach (var token in chosen.EnumerateArray())
            {
                writer.WriteStartObject();
                WriteToken(writer, token);
                writer.WriteStartArray("top_logprobs"u8);
                if (hasTop && top.MoveNext() && top.Current.ValueKind == JsonValueKind.Object
                    && top.Current.TryGetProperty("candidates"u8, out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
                {
                    foreach (var alternative in alternatives.EnumerateArray())
                    {
                        writer.WriteStartObject();
                        WriteToken(writer, alternative);
                        writer.WriteEndObject();
                    }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteNull("refusal"u8);
            writer.WriteEndObject();
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private static void WriteToken(Utf8JsonWriter writer, JsonElement candidate)
    {
        var token = candidate.TryGetProperty("token"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        var logprob = candidate.TryGetProperty("logProbability"u8, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : 0;
        writer.WriteString("token"u8, token);
        writer.WriteNumber("logprob"u8, logprob);
        writer.WriteStartArray("bytes"u8);
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            writer.WriteNumberValue(b);
        }
        writer.WriteEndArray();
    }
}
