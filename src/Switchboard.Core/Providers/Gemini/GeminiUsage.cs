using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Gemini;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Reads <c>usageMetadata</c> into canonical <see cref="Usage"/>, in OpenAI's accounting (see
/// <see cref="Usage"/>): prompt = <c>promptTokenCount</c> (cache reads already included) +
/// <c>toolUsePromptTokenCount</c> (tool results Gemini fed itself, billed as input); completion =
/// <c>candidatesTokenCount</c> + <c>thoughtsTokenCount</c>; reasoning = <c>thoughtsTokenCount</c>;
/// cached = <c>cachedContentTokenCount</c>; audio from the per-modality details. The total is Gemini's
/// <c>totalTokenCount</c>, which equals prompt + completion.
/// </summary>
internal static class GeminiUsage
{
    private const string Path = "usageMetadata";

    public static Usage Read(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, Path, "");
        int? prompt = null, candidates = null, toolUse = null, total = null, thoughts = null, cached = null, audioIn = null, audioOut = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TryReadCount(ref reader, "promptTokenCount"u8, Path, ref prompt)
                || TryReadCount(ref reader, "candidatesTokenCount"u8, Path, ref candidates)
                || TryReadCount(ref reader, "toolUsePromptTokenCount"u8, Path, ref toolUse)
                || TryReadCount(ref reader, "thoughtsTokenCount"u8, Path, ref thoughts)
                || TryReadCount(ref reader, "cachedContentTokenCount"u8, Path, ref cached)
                || TryReadCount(ref reader, "totalTokenCount"u8, Path, ref total))
            {
                continue;
            }
            if (reader.ValueTextEquals("promptTokensDetails"u8))
            {
                ReadValue(ref reader);
                audioIn = ReadAudioTokens(ref reader, "promptTokensDetails");
            }
            else if (reader.ValueTextEquals("candidatesTokensDetails"u8))
            {
                ReadValue(ref reader);
                audioOut = ReadAudioTokens(ref reader, "candidatesTokensDetails");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new Usage
        {
            PromptTokens = (prompt ?? 0) + (toolUse ?? 0),
            CompletionTokens = (candidates ?? 0) + (thoughts ?? 0),
            TotalTokens = total,
            CachedPromptTokens = cached,
            ReasoningTokens = thoughts,
            AudioPromptTokens = audioIn,
            AudioCompletionTokens = audioOut,
        };
    }

    /// <summary>The <c>AUDIO</c> entry of a <c>[{modality, tokenCount}]</c> list, or null.</summary>
    private static int? ReadAudioTokens(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        int? audio = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ExpectObject(ref reader, Path, member);
            var isAudio = false;
            int? count = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("modality"u8))
                {
                    ReadValue(ref reader);
                    isAudio = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("AUDIO"u8);
                }
                else if (reader.ValueTextEquals("tokenCount"u8))
                {
                    ReadValue(ref reader);
                    count = ReadOptionalInt(ref reader, Path, member);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            if (isAudio)
            {
                audio = (audio ?? 0) + (count ?? 0);
            }
        }
        return audio;
    }
}
