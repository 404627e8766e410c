using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI.Audio;

/// <summary>
/// What an OpenAI audio answer (a transcription or translation in JSON, a <c>transcript.text.done</c> or
/// <c>speech.audio.done</c> event) says it used: tokens (<c>usage: {type: "tokens", input_tokens, output_tokens}</c>,
/// gpt-4o-transcribe and gpt-4o-mini-tts, read by <see cref="OpenAIUsageReader"/>), or seconds of audio
/// (<c>usage: {type: "duration", seconds}</c>, whisper-1, or else verbose_json's top-level <c>duration</c>).
/// </summary>
public static class AudioUsageReader
{
    public readonly record struct Result(bool HasTokens, TokenUsage Tokens, double Seconds);

    public static Result Read(ReadOnlySpan<byte> json)
    {
        var tokens = OpenAIUsageReader.Read(json);
        var hasTokens = tokens.HasUsage && tokens.Usage.IsReported;
        return new Result(hasTokens, hasTokens ? tokens.Usage : default, Seconds(json));
    }

    /// <summary><c>usage.seconds</c>, else the root's <c>duration</c>; 0 when neither is a number (or the JSON is broken).</summary>
    private static double Seconds(ReadOnlySpan<byte> json)
    {
        double usageSeconds = 0, duration = 0;
        var reader = new Utf8JsonReader(json);
        var inUsage = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                var depth = reader.CurrentDepth;
                if (depth == 1) inUsage = reader.ValueTextEquals("usage"u8);
                var isDuration = depth == 1 && reader.ValueTextEquals("duration"u8);
                var isSeconds = depth == 2 && inUsage && reader.ValueTextEquals("seconds"u8);
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number) continue;
                if (isDuration) duration = reader.GetDouble();
                else if (isSeconds) usageSeconds = reader.GetDouble();
            }
        }
        catch (JsonException)
        {
            return 0;
        }
        return usageSeconds > 0 ? usageSeconds : duration;
    }
}
