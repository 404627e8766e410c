using System.Buffers;
using System.Text.Json;

namespace Switchboard.Pipeline;

/// <summary>
/// Adds up the tokens of what a model sees in a request: texts through the <see cref="TokenCounter"/>, fixed costs
/// for messages and images, and, past the request's exact-count allowance, an extrapolation at the ratio measured so
/// far. <see cref="CountBody"/> reads a raw request body in one forward pass of a <see cref="Utf8JsonReader"/>
/// (no objects built, no second parse), counting string values and, inside tool schemas, property names too; ids,
/// model names, options and base64 data are skipped by their keys.
/// </summary>
internal struct RequestTextScanner(TokenCounter counter, int maxExactChars)
{
    // Keys whose values the model never reads as text (ids, options, binary data and its addresses).
    private static readonly HashSet<string> SkippedKeys = new(StringComparer.Ordinal)
    {
        "model", "id", "tool_call_id", "tool_use_id", "call_id", "signature", "data", "url", "image_url", "source",
        "file", "file_data", "file_id", "input_audio", "audio", "cache_control", "metadata", "user", "stop",
        "stop_sequences", "tool_choice", "stream_options", "service_tier", "reasoning_effort", "encrypted_content",
        "media_type", "detail", "modalities", "logit_bias", "prediction", "thinking_config", "container",
    };

    private static readonly HashSet<string> SchemaKeys = new(StringComparer.Ordinal) { "parameters", "input_schema", "schema" };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SkippedLookup = SkippedKeys.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SchemaLookup = SchemaKeys.GetAlternateLookup<ReadOnlySpan<char>>();

    private long _exactTokens;
    private long _exactChars;
    private long _extrapolatedChars;
    private long _fixed;
    private int _exactLeft = maxExactChars;

    public readonly long Total =>
        _fixed + _exactTokens + (_extrapolatedChars == 0 ? 0
            : _exactChars >= 1000 ? (long)Math.Ceiling(_extrapolatedChars * (double)_exactTokens / _exactChars)
            : (_extrapolatedChars + 3) / 4);

    public void AddFixed(long tokens) => _fixed += tokens;

    public void AddText(ReadOnlySpan<char> text)
    {
        var exact = Math.Min(text.Length, _exactLeft);
        if (exact > 0)
        {
            _exactTokens += counter.Count(text[..exact]);
            _exactChars += exact;
            _exactLeft -= exact;
        }
        _extrapolatedChars += text.Length - exact;
    }

    /// <summary>A JSON Schema (a tool's parameters): its property names and string values.</summary>
    public void AddSchema(ReadOnlySpan<byte> schema)
    {
        var reader = new Utf8JsonReader(schema);
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String) AddString(ref reader, ref buffer);
            }
        }
        catch (JsonException)
        {
            _extrapolatedChars += schema.Length;
        }
        finally
        {
            if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The prompt tokens of a raw request body; a body that is not a JSON object counts at 4 bytes a token.</summary>
    public long CountBody(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        char[]? buffer = null;
        var typeValue = false; // the next string is a content part's "type"
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (json.Length + 3L) / 4;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        typeValue = reader.ValueTextEquals("type"u8);
                        if (typeValue) break;
                        if (reader.ValueTextEquals("role"u8)) AddFixed(TokenCounter.PerMessage);
                        switch (KeyKind(ref reader))
                        {
                            case Key.Skipped: reader.Skip(); break;
                            case Key.Schema: ReadSchemaValue(ref reader, ref buffer); break;
                        }
                        break;
                    case JsonTokenType.String when typeValue:
                        typeValue = false;
                        if (reader.ValueTextEquals("image"u8) || reader.ValueTextEquals("image_url"u8) || reader.ValueTextEquals("input_image"u8))
                        {
                            AddFixed(TokenCounter.PerImage);
                        }
                        break;
                    case JsonTokenType.String:
                        AddString(ref reader, ref buffer);
                        break;
                    default:
                        typeValue = false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Validated before admission, so only a body deeper than the reader allows gets here: count the rest by size.
            _extrapolatedChars += json.Length - reader.BytesConsumed;
        }
        finally
        {
            if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
        }
        AddFixed(TokenCounter.ReplyPriming);
        return Total;
    }

    private enum Key { Counted, Skipped, Schema }

    /// <summary>Looks a property name up without allocating (names longer than any listed key are counted ones).</summary>
    private static Key KeyKind(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueSpan.Length > 32) return Key.Counted;
        Span<char> name = stackalloc char[32];
        int length;
        try
        {
            length = reader.CopyString(name);
        }
        catch (InvalidOperationException)
        {
            return Key.Counted; // an invalid escape: no listed key
        }
        var key = name[..length];
        return SkippedLookup.Contains(key) ? Key.Skipped : SchemaLookup.Contains(key) ? Key.Schema : Key.Counted;
    }

    /// <summary>Reads the value of a schema key (the reader is on its name): property names and strings count.</summary>
    private void ReadSchemaValue(ref Utf8JsonReader reader, ref char[]? buffer)
    {
        if (!reader.Read()) return;
        if (reader.TokenType == JsonTokenType.String) AddString(ref reader, ref buffer);
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        var depth = reader.CurrentDepth;
        while (reader.Read())
        {
            if (reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) return;
            if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String) AddString(ref reader, ref buffer);
        }
    }

    private void AddString(ref Utf8JsonReader reader, ref char[]? buffer)
    {
        var bytes = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (_exactLeft <= 0)
        {
            _extrapolatedChars += bytes; // no more exact counting: a byte is about a character
            return;
        }
        var remember = bytes >= TokenCounter.RememberedBytes && !reader.HasValueSequence;
        if (remember && counter.TryRecall(reader.ValueSpan, out var recalled))
        {
            _exactTokens += recalled;
            _exactChars += bytes; // for the extrapolation ratio only: a byte is about a character
            _exactLeft -= bytes;
            return;
        }
        // Unescaped UTF-16 never has more characters than the escaped UTF-8 has bytes.
        if (buffer is null || buffer.Length < bytes)
        {
            if (buffer is not null) ArrayPool<char>.Shared.Return(buffer);
            buffer = ArrayPool<char>.Shared.Rent(Math.Max(bytes, 256));
        }
        int length;
        try
        {
            length = reader.CopyString(buffer);
        }
        catch (InvalidOperationException)
        {
            _extrapolatedChars += bytes; // an invalid escape (a lone surrogate): counted by size
            return;
        }
        if (remember && length <= _exactLeft)
        {
            var tokens = counter.Count(buffer.AsSpan(0, length));
            counter.Remember(reader.ValueSpan, tokens);
            _exactTokens += tokens;
            _exactChars += length;
            _exactLeft -= length;
            return;
        }
        AddText(buffer.AsSpan(0, length));
    }
}
