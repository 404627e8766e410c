using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI.Audio;

/// <summary>
/// What an OpenAI audio answer (a transcription or translation in JSON, a <c>transcript.text.done</c> or
/// <c>speech.audio.done</c> event) says it used: tokens (<c>usage: {type: "tokens", input_tokens, output_tokens}</c>,
/// gpt-4o-transcribe and gpt-4o-mini-tts), or seconds of audio (<c>usage: {type: "duration", seconds}</c>, whisper-1,
/// or verbose_json's top-level <c>duration</c>).
/// </summary>
public static class AudioUsageReader
{
    public readonly record struct Result(bool HasTokens, TokenUsage Tokens, double Seconds);

    public static Result Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            var result = default(Result);
            double duration = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject) result = ReadUsage(ref reader);
                    else reader.Skip();
                    continue;
                }
                if (reader.ValueTextEquals("duration"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number) duration = reader.GetDouble();
                    else reader.Skip();
                    continue;
                }
                reader.Read();
                reader.Skip();
            }
            return result.Seconds > 0 || duration <= 0 ? result : result with { Seconds = duration };
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>A usage object of either type; the reader is on its StartObject and ends on its EndObject.</summary>
    private static Result ReadUsage(ref Utf8JsonReader reader)
    {
        // Read on a copy first for "seconds": the token reader below skips what it does not know.
        var scan = reader;
        double seconds = 0;
        var depth = scan.CurrentDepth;
        while (scan.Read() && !(scan.TokenType == JsonTokenType.EndObject && scan.CurrentDepth == depth))
        {
            if (scan.TokenType == JsonTokenType.PropertyName && scan.CurrentDepth == depth + 1 && scan.ValueTextEquals("seconds"u8))
            {
                scan.Read();
                if (scan.TokenType == JsonTokenType.Number) seconds = scan.GetDouble();
            }
            else if (scan.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) scan.Skip();
        }
        var tokens = OpenAIUsageReader.ReadUsageObject(ref reader);
        return new Result(tokens.IsReported, tokens, seconds);
    }
}
