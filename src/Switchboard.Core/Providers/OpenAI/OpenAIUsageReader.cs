using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Finds the top-level <c>usage</c> object of an OpenAI response or stream chunk with <see cref="Utf8JsonReader"/>,
/// skipping everything else without materialising it.
/// </summary>
public static class OpenAIUsageReader
{
    /// <summary>What a chunk or response told us about usage and shape.</summary>
    public readonly record struct Result(bool HasUsage, TokenUsage Usage, bool ChoicesEmpty);

    public static Result Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            var usage = default(TokenUsage);
            bool hasUsage = false, choicesEmpty = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        usage = ReadUsageObject(ref reader);
                        hasUsage = true;
                    }
                    continue;
                }
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        reader.Read();
                        choicesEmpty = reader.TokenType == JsonTokenType.EndArray;
                        if (!choicesEmpty) SkipRestOfArray(ref reader);
                    }
                    continue;
                }
                reader.Read();
                reader.Skip();
            }
            return new Result(hasUsage, usage, choicesEmpty);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The top-level usage of a response (Chat Completions or Responses: both member spellings are known); null when it has none.</summary>
    public static TokenUsage? UsageOf(ReadOnlySpan<byte> json) => Read(json) is { HasUsage: true } read ? read.Usage : null;

    /// <summary>Reads a usage object; the reader is on its StartObject and ends on its EndObject.</summary>
    public static TokenUsage ReadUsageObject(ref Utf8JsonReader reader)
    {
        long prompt = 0, completion = 0, total = 0, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8)) prompt = ReadLong(ref reader);
            else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8)) completion = ReadLong(ref reader);
            else if (reader.ValueTextEquals("total_tokens"u8)) total = ReadLong(ref reader);
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8)) cached = ReadDetail(ref reader, "cached_tokens"u8, cached);
            else if (reader.ValueTextEquals("completion_tokens_details"u8) || reader.ValueTextEquals("output_tokens_details"u8)) reasoning = ReadDetail(ref reader, "reasoning_tokens"u8, reasoning);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (total == 0) total = prompt + completion;
        return new TokenUsage(prompt, completion, total, cached, reasoning);
    }

    private static long ReadLong(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : 0;
    }

    private static long ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, long current)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return current;
        }
        var value = current;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name)) value = ReadLong(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return value;
    }

    private static void SkipRestOfArray(ref Utf8JsonReader reader)
    {
        // The reader is on the first element's first token.
        while (true)
        {
            reader.Skip();
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray) return;
        }
    }
}
