using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>Reads and writes the <c>usage</c> object of responses and stream chunks.</summary>
internal static class OpenAIChatUsage
{
    // The object is always a body's or a chunk's top-level usage: its members' paths are constants, not joined per read.
    private const string Path = "usage";
    private const string PromptDetailsPath = "usage.prompt_tokens_details";
    private const string CompletionDetailsPath = "usage.completion_tokens_details";

    public static Usage Read(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, Path, "");
        var counts = default(Counts);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TryReadCount(ref reader, "prompt_tokens"u8, Path, ref counts.Prompt)
                || TryReadCount(ref reader, "completion_tokens"u8, Path, ref counts.Completion)
                || TryReadCount(ref reader, "total_tokens"u8, Path, ref counts.Total)
                || TryReadCount(ref reader, "prompt_cache_hit_tokens"u8, Path, ref counts.DeepSeekCacheHits))
            {
                continue;
            }
            if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                ReadValue(ref reader);
                counts.ReadDetails(ref reader, PromptDetailsPath, completion: false);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                ReadValue(ref reader);
                counts.ReadDetails(ref reader, CompletionDetailsPath, completion: true);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return counts.ToUsage();
    }

    public static void Write(Utf8JsonWriter writer, Usage usage)
    {
        writer.WriteStartObject();
        writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, usage.Total);
        if (usage.CachedPromptTokens is not null || usage.AudioPromptTokens is not null || usage.CacheCreationPromptTokens is not null)
        {
            writer.WriteStartObject("prompt_tokens_details"u8);
            WriteOptional(writer, "cached_tokens"u8, usage.CachedPromptTokens);
            WriteOptional(writer, "audio_tokens"u8, usage.AudioPromptTokens);
            WriteOptional(writer, "cache_write_tokens"u8, usage.CacheCreationPromptTokens);
            writer.WriteEndObject();
        }
        if (usage.ReasoningTokens is not null || usage.AudioCompletionTokens is not null
            || usage.AcceptedPredictionTokens is not null || usage.RejectedPredictionTokens is not null)
        {
            writer.WriteStartObject("completion_tokens_details"u8);
            WriteOptional(writer, "reasoning_tokens"u8, usage.ReasoningTokens);
            WriteOptional(writer, "audio_tokens"u8, usage.AudioCompletionTokens);
            WriteOptional(writer, "accepted_prediction_tokens"u8, usage.AcceptedPredictionTokens);
            WriteOptional(writer, "rejected_prediction_tokens"u8, usage.RejectedPredictionTokens);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>The counts as read (a count sent as null is absent, as the API treats it).</summary>
    private struct Counts
    {
        public int? Prompt, Completion, Total, DeepSeekCacheHits;
        public int? Cached, AudioPrompt, CacheWrite;
        public int? Reasoning, AudioCompletion, AcceptedPrediction, RejectedPrediction;

        /// <summary>Reads <c>prompt_tokens_details</c> or (<paramref name="completion"/>) <c>completion_tokens_details</c>.</summary>
        public void ReadDetails(ref Utf8JsonReader reader, string path, bool completion)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return;
            }
            ExpectObject(ref reader, path, "");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var known = completion
                    ? TryReadCount(ref reader, "reasoning_tokens"u8, path, ref Reasoning)
                        || TryReadCount(ref reader, "audio_tokens"u8, path, ref AudioCompletion)
                        || TryReadCount(ref reader, "accepted_prediction_tokens"u8, path, ref AcceptedPrediction)
                        || TryReadCount(ref reader, "rejected_prediction_tokens"u8, path, ref RejectedPrediction)
                    : TryReadCount(ref reader, "cached_tokens"u8, path, ref Cached)
                        || TryReadCount(ref reader, "audio_tokens"u8, path, ref AudioPrompt)
                        || TryReadCount(ref reader, "cache_write_tokens"u8, path, ref CacheWrite);
                if (!known)
                {
                    SkipValue(ref reader);
                }
            }
        }

        public readonly Usage ToUsage() => new()
        {
            PromptTokens = Prompt ?? 0,
            CompletionTokens = Completion ?? 0,
            TotalTokens = Total,
            // DeepSeek reports cache hits at the top level instead of in prompt_tokens_details.
            CachedPromptTokens = Cached ?? DeepSeekCacheHits,
            AudioPromptTokens = AudioPrompt,
            CacheCreationPromptTokens = CacheWrite,
            ReasoningTokens = Reasoning,
            AudioCompletionTokens = AudioCompletion,
            AcceptedPredictionTokens = AcceptedPrediction,
            RejectedPredictionTokens = RejectedPrediction,
        };
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
