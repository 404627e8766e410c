using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>Reads and writes the <c>usage</c> object of responses and stream chunks.</summary>
internal static class OpenAIChatUsage
{
    public static Usage Read(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path, "");
        var usage = new Usage();
        int? deepSeekCacheHits = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { PromptTokens = ReadOptionalInt(ref reader, path, "prompt_tokens") ?? 0 };
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { CompletionTokens = ReadOptionalInt(ref reader, path, "completion_tokens") ?? 0 };
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { TotalTokens = ReadOptionalInt(ref reader, path, "total_tokens") };
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                ReadValue(ref reader);
                usage = ReadPromptDetails(ref reader, Join(path, "prompt_tokens_details"), usage);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                ReadValue(ref reader);
                usage = ReadCompletionDetails(ref reader, Join(path, "completion_tokens_details"), usage);
            }
            else if (reader.ValueTextEquals("prompt_cache_hit_tokens"u8))
            {
                ReadValue(ref reader);
                deepSeekCacheHits = ReadOptionalInt(ref reader, path, "prompt_cache_hit_tokens");
            }
            else
            {
                ReadValue(ref reader);
                reader.Skip();
            }
        }
        // DeepSeek reports cache hits at the top level instead of in prompt_tokens_details.
        return usage.CachedPromptTokens is null && deepSeekCacheHits is not null
            ? usage with { CachedPromptTokens = deepSeekCacheHits }
            : usage;
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

    private static Usage ReadPromptDetails(ref Utf8JsonReader reader, string path, Usage usage)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return usage;
        }
        ExpectObject(ref reader, path, "");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { CachedPromptTokens = ReadOptionalInt(ref reader, path, "cached_tokens") };
            }
            else if (reader.ValueTextEquals("audio_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { AudioPromptTokens = ReadOptionalInt(ref reader, path, "audio_tokens") };
            }
            else if (reader.ValueTextEquals("cache_write_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { CacheCreationPromptTokens = ReadOptionalInt(ref reader, path, "cache_write_tokens") };
            }
            else
            {
                ReadValue(ref reader);
                reader.Skip();
            }
        }
        return usage;
    }

    private static Usage ReadCompletionDetails(ref Utf8JsonReader reader, string path, Usage usage)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return usage;
        }
        ExpectObject(ref reader, path, "");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("reasoning_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { ReasoningTokens = ReadOptionalInt(ref reader, path, "reasoning_tokens") };
            }
            else if (reader.ValueTextEquals("audio_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { AudioCompletionTokens = ReadOptionalInt(ref reader, path, "audio_tokens") };
            }
            else if (reader.ValueTextEquals("accepted_prediction_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { AcceptedPredictionTokens = ReadOptionalInt(ref reader, path, "accepted_prediction_tokens") };
            }
            else if (reader.ValueTextEquals("rejected_prediction_tokens"u8))
            {
                ReadValue(ref reader);
                usage = usage with { RejectedPredictionTokens = ReadOptionalInt(ref reader, path, "rejected_prediction_tokens") };
            }
            else
            {
                ReadValue(ref reader);
                reader.Skip();
            }
        }
        return usage;
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
