using System.Text;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Gemini;

/// <summary>Writes single Gemini <c>Part</c> objects: text, media, <c>functionCall</c>, <c>functionResponse</c>.</summary>
internal static class GeminiPartWriter
{
    public static void WriteText(Utf8JsonWriter writer, string text, bool thought, string? signature)
    {
        writer.WriteStartObject();
        writer.WriteString("text"u8, text);
        if (thought)
        {
            writer.WriteBoolean("thought"u8, true);
        }
        WriteSignature(writer, signature);
        writer.WriteEndObject();
    }

    /// <summary>Writes an image, audio or file part as <c>inlineData</c> or <c>fileData</c>.</summary>
    public static void WriteMedia(Utf8JsonWriter writer, ContentPart part, string? signature, int messageIndex)
    {
        writer.WriteStartObject();
        WriteMediaMember(writer, part, messageIndex);
        WriteSignature(writer, signature);
        writer.WriteEndObject();
    }

    public static void WriteFunctionCall(Utf8JsonWriter writer, ToolCallPart call, string? signature, int messageIndex)
    {
        if (call.Kind == ToolCallKind.Custom)
        {
            throw Fail($"messages[{messageIndex}].tool_calls", $"custom tool call '{call.Name}' has free-text input, which Gemini cannot take");
        }
        byte[]? arguments = null;
        if (!string.IsNullOrWhiteSpace(call.Arguments) && !TryGetJsonObject(call.Arguments, out arguments))
        {
            throw Fail($"messages[{messageIndex}].tool_calls", $"arguments of tool call '{call.Name}' must be a JSON object for Gemini");
        }
        writer.WriteStartObject();
        writer.WriteStartObject("functionCall"u8);
        if (call.Id is not null)
        {
            writer.WriteString("id"u8, call.Id);
        }
        writer.WriteString("name"u8, call.Name);
        writer.WritePropertyName("args"u8);
        if (arguments is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteRawValue(arguments, skipInputValidation: true);
        }
        writer.WriteEndObject();
        WriteSignature(writer, signature);
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>{"functionResponse": {id, name, response, parts?}}</c>: the result text as an object (a JSON
    /// object as is, other text as <c>{"result": text}</c>, an error as <c>{"error": ...}</c>), its media
    /// in <c>parts</c>.
    /// </summary>
    public static void WriteFunctionResponse(Utf8JsonWriter writer, ToolResultPart result, string name, int messageIndex)
    {
        var text = JoinText(result);
        writer.WriteStartObject();
        writer.WriteStartObject("functionResponse"u8);
        if (result.ToolCallId is not null)
        {
            writer.WriteString("id"u8, result.ToolCallId);
        }
        writer.WriteString("name"u8, name);
        writer.WritePropertyName("response"u8);
        var isObject = TryGetJsonObject(text, out var json);
        if (isObject && !result.IsError)
        {
            writer.WriteRawValue(json!, skipInputValidation: true);
        }
        else
        {
            writer.WriteStartObject();
            writer.WritePropertyName(result.IsError ? "error"u8 : "result"u8);
            if (isObject)
            {
                writer.WriteRawValue(json!, skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(text);
            }
            writer.WriteEndObject();
        }
        WriteResultMedia(writer, result, messageIndex);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResultMedia(Utf8JsonWriter writer, ToolResultPart result, int messageIndex)
    {
        var open = false;
        foreach (var part in result.Content)
        {
            if (part is not (ImagePart or AudioPart or FilePart))
            {
                continue;
            }
            if (!open)
            {
                writer.WriteStartArray("parts"u8);
                open = true;
            }
            writer.WriteStartObject();
            WriteMediaMember(writer, part, messageIndex);
            writer.WriteEndObject();
        }
        if (open)
        {
            writer.WriteEndArray();
        }
    }

    private static string JoinText(ToolResultPart result)
    {
        var joined = default(TextJoin);
        foreach (var part in result.Content)
        {
            var text = part switch
            {
                TextPart t => t.Text,
                RefusalPart r => r.Refusal,
                _ => null,
            };
            if (text is not null)
            {
                joined.Add(text);
            }
        }
        return joined.Result;
    }

    private static void WriteMediaMember(Utf8JsonWriter writer, ContentPart part, int messageIndex)
    {
        switch (part)
        {
            case ImagePart { Data: { } data } image:
                WriteInline(writer, image.MediaType ?? "image/jpeg", data);
                break;
            case ImagePart { Url: { } url } image:
                if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                {
                    throw Fail($"messages[{messageIndex}].content", "image data URLs must be base64 for Gemini");
                }
                // Gemini fetches fileData URIs itself: nothing but a web URL may reach it (the readers check this too).
                CheckMediaUrl(url, $"messages[{messageIndex}].content", allowData: false);
                WriteFileData(writer, image.MediaType ?? GeminiMediaTypes.Guess(url, "image/jpeg"), url);
                break;
            case AudioPart audio:
                WriteInline(writer, GeminiMediaTypes.OfAudioFormat(audio.Format), audio.Data);
                break;
            case FilePart { Data: { } data } file:
                WriteInline(writer, file.MediaType ?? GeminiMediaTypes.Guess(file.Filename, "application/pdf"), data);
                break;
            case FilePart { Url: { } url } file:
                WriteFileData(writer, file.MediaType ?? GeminiMediaTypes.Guess(url, "application/pdf"), url);
                break;
            case FilePart:
                throw Fail($"messages[{messageIndex}].content", "files by provider id cannot be sent to Gemini; send them inline");
            default:
                throw Fail($"messages[{messageIndex}].content", "image has neither data nor URL");
        }
    }

    private static void WriteInline(Utf8JsonWriter writer, string mimeType, string data)
    {
        writer.WriteStartObject("inlineData"u8);
        writer.WriteString("mimeType"u8, mimeType);
        writer.WriteString("data"u8, data);
        writer.WriteEndObject();
    }

    private static void WriteFileData(Utf8JsonWriter writer, string mimeType, string uri)
    {
        writer.WriteStartObject("fileData"u8);
        writer.WriteString("mimeType"u8, mimeType);
        writer.WriteString("fileUri"u8, uri);
        writer.WriteEndObject();
    }

    private static void WriteSignature(Utf8JsonWriter writer, string? signature)
    {
        if (signature is not null)
        {
            writer.WriteString("thoughtSignature"u8, signature);
        }
    }

    /// <summary>Whether <paramref name="text"/> is exactly one JSON object (whitespace around allowed),
    /// and its UTF-8 bytes when it is.</summary>
    private static bool TryGetJsonObject(string text, out byte[]? utf8)
    {
        utf8 = null;
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '{')
        {
            return false;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            reader.Read();
            reader.Skip();
            if (reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        utf8 = bytes;
        return true;
    }
}
