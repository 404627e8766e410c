using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.Errors;

/// <summary>
/// Removes secrets from text that came from outside (upstream error messages) before it reaches a client or a log.
/// Upstreams echo keys back (OpenAI: "Incorrect API key provided: sk-proj-****abcd"); we remove the exact
/// provider key and anything shaped like a key.
/// </summary>
public static partial class SecretScrubber
{
    // Key-shaped tokens: sk-..., sk-ant-..., AIza..., long bearer-ish runs. Masked forms with '*' count too.
    [GeneratedRegex(@"\b(sk-[A-Za-z0-9_\-\*]{3,}|AIza[0-9A-Za-z_\-\*]{10,}|key-[A-Za-z0-9\*]{8,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();

    /// <summary>Returns <paramref name="text"/> with <paramref name="secrets"/> and key-shaped tokens replaced by "[redacted]".</summary>
    public static string Scrub(string text, params ReadOnlySpan<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }
        }
        return KeyShaped().Replace(text, "[redacted]");
    }

    /// <summary>
    /// A copy of the JSON <paramref name="json"/> (known to be well-formed) with every string value scrubbed and
    /// everything else kept: an upstream's error event relayed in its own shape, minus the secrets it echoed.
    /// </summary>
    public static byte[] ScrubJson(ReadOnlySpan<byte> json, params ReadOnlySpan<string?> secrets)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        using (var writer = new Utf8JsonWriter(output, OpenAIErrorWriter.WriterOptions))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: writer.WritePropertyName(reader.GetString()!); break;
                    case JsonTokenType.String: writer.WriteStringValue(Scrub(reader.GetString()!, secrets)); break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
        }
        return output.WrittenSpan.ToArray();
    }
}
