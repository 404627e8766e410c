using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Providers.OpenAI;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>The parts of a block every kind shares: its <c>source</c>, <c>cache_control</c> and unknown members.</summary>
internal static partial class AnthropicBlockReader
{
    /// <summary>A block's <c>source</c>: the members of every source kind, read as strings.</summary>
    private sealed class Source
    {
        public string? Type;
        public string? MediaType;
        public string? Data;
        public string? Url;
        public string? FileId;

        public static Source Read(ref Utf8JsonReader reader, string path)
        {
            ExpectObject(ref reader, path, "");
            var source = new Source();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    ReadValue(ref reader);
                    source.Type = ReadString(ref reader, path, "type");
                }
                else if (reader.ValueTextEquals("media_type"u8))
                {
                    ReadValue(ref reader);
                    source.MediaType = ReadOptionalString(ref reader, path, "media_type");
                }
                else if (reader.ValueTextEquals("data"u8) || reader.ValueTextEquals("url"u8) || reader.ValueTextEquals("file_id"u8))
                {
                    var isData = reader.ValueTextEquals("data"u8);
                    var isUrl = reader.ValueTextEquals("url"u8);
                    ReadValue(ref reader);
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        // e.g. a "content" source's array: the caller keeps the whole block raw.
                        reader.Skip();
                        continue;
                    }
                    var value = reader.GetString();
                    if (isData)
                    {
                        source.Data = value;
                    }
                    else if (isUrl)
                    {
                        source.Url = value;
                    }
                    else
                    {
                        source.FileId = value;
                    }
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            if (source.Type is null)
            {
                throw Missing($"{path}.type");
            }
            return source;
        }
    }

    /// <summary>The members every block may have: <c>type</c> (already known), <c>cache_control</c>, and
    /// anything else, which is kept raw.</summary>
    private struct Common
    {
        private CacheControl? _cacheControl;
        private List<ExtensionField>? _extensions;

        /// <summary>Reads the member the reader is on (its name, or with <paramref name="alreadyOnValue"/> its
        /// value, whose name is <paramref name="name"/>).</summary>
        public void Read(ref Utf8JsonReader reader, string path, bool alreadyOnValue = false, string? name = null)
        {
            if (!alreadyOnValue)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    SkipValue(ref reader);
                    return;
                }
                if (reader.ValueTextEquals("cache_control"u8))
                {
                    ReadValue(ref reader);
                    _cacheControl = reader.TokenType == JsonTokenType.Null ? null : OpenAIChatContentReader.ReadCacheControl(ref reader, path, "cache_control");
                    return;
                }
                name = reader.GetString()!;
                ReadValue(ref reader);
            }
            (_extensions ??= []).Add(new ExtensionField(name!, JsonElement.ParseValue(ref reader)));
        }

        public readonly T Apply<T>(T part) where T : ContentPart =>
            _cacheControl is null && _extensions is null
                ? part
                : part with { CacheControl = _cacheControl, Extensions = _extensions is null ? [] : [.. _extensions] };
    }
}
