using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Anthropic's token counts as reported (<c>input_tokens</c> excludes the cache), and their canonical
/// <see cref="Usage"/> in OpenAI's accounting: prompt = input + cache reads + cache writes.
/// </summary>
internal struct AnthropicTokens
{
    public int? Input;
    public int? Output;
    public int? CacheRead;
    public int? CacheCreation;

    public readonly bool HasAny => Input is not null || Output is not null || CacheRead is not null || CacheCreation is not null;

    /// <summary>Takes every count <paramref name="later"/> reports (stream counts are cumulative).</summary>
    public void Merge(AnthropicTokens later)
    {
        Input = later.Input ?? Input;
        Output = later.Output ?? Output;
        CacheRead = later.CacheRead ?? CacheRead;
        CacheCreation = later.CacheCreation ?? CacheCreation;
    }

    public readonly Usage ToUsage() => new()
    {
        PromptTokens = (Input ?? 0) + (CacheRead ?? 0) + (CacheCreation ?? 0),
        CompletionTokens = Output ?? 0,
        CachedPromptTokens = CacheRead,
        CacheCreationPromptTokens = CacheCreation,
    };

    /// <summary>Reads a <c>usage</c> object; members other than the four counts go to <paramref name="extras"/>.</summary>
    public static AnthropicTokens Read(ref Utf8JsonReader reader, string path, ref List<ExtensionField>? extras)
    {
        ExpectObject(ref reader, path, "");
        var tokens = default(AnthropicTokens);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!tokens.TryReadCount(ref reader, path))
            {
                var name = reader.GetString()!;
                ReadValue(ref reader);
                (extras ??= []).Add(new ExtensionField(name, JsonElement.ParseValue(ref reader)));
            }
        }
        return tokens;
    }

    /// <summary>Reads a stream <c>usage</c> object, skipping the members with no canonical field.</summary>
    public static AnthropicTokens ReadCounts(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path, "");
        var tokens = default(AnthropicTokens);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!tokens.TryReadCount(ref reader, path))
            {
                SkipValue(ref reader);
            }
        }
        return tokens;
    }

    /// <summary>Reads the member the reader is on if it is one of the four counts; false leaves the reader on its name.</summary>
    private bool TryReadCount(ref Utf8JsonReader reader, string path) =>
        WireReading.TryReadCount(ref reader, "input_tokens"u8, path, ref Input)
        || WireReading.TryReadCount(ref reader, "output_tokens"u8, path, ref Output)
        || WireReading.TryReadCount(ref reader, "cache_read_input_tokens"u8, path, ref CacheRead)
        || WireReading.TryReadCount(ref reader, "cache_creation_input_tokens"u8, path, ref CacheCreation);

    /// <summary>Anthropic counts for a canonical usage: the cache is taken back out of the input.</summary>
    public static AnthropicTokens From(Usage usage) => new()
    {
        Input = Math.Max(0, usage.PromptTokens - (usage.CachedPromptTokens ?? 0) - (usage.CacheCreationPromptTokens ?? 0)),
        Output = usage.CompletionTokens,
        CacheRead = usage.CachedPromptTokens ?? 0,
        CacheCreation = usage.CacheCreationPromptTokens ?? 0,
    };

    /// <summary>Writes the members (not the braces) in Anthropic's order.</summary>
    public readonly void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteNumber("input_tokens"u8, Input ?? 0);
        writer.WriteNumber("cache_creation_input_tokens"u8, CacheCreation ?? 0);
        writer.WriteNumber("cache_read_input_tokens"u8, CacheRead ?? 0);
        writer.WriteNumber("output_tokens"u8, Output ?? 0);
    }
}
