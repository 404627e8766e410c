using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>Reads message <c>content</c>: a string, null, or an array of typed parts.</summary>
internal static class OpenAIChatContentReader
{
    /// <summary>Reads the <c>content</c> of the message at <paramref name="messagePath"/>; null when it is
    /// JSON null. Which part types a role allows is checked by the caller, which knows the role.</summary>
    public static List<ContentPart>? ReadContent(ref Utf8JsonReader reader, string messagePath, out ContentForm form)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                form = ContentForm.Auto;
                return null;
            case JsonTokenType.String:
                form = ContentForm.Text;
                return [new TextPart(reader.GetString()!)];
            case JsonTokenType.StartArray:
                form = ContentForm.Parts;
                var parts = new List<ContentPart>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    parts.Add(ReadPart(ref reader, $"{messagePath}.content[{parts.Count}]"));
                }
                if (parts.Count == 0)
                {
                    throw Fail(Join(messagePath, "content"), "must not be an empty array");
                }
                return parts;
            default:
                throw WrongType(Join(messagePath, "content"), "a string or an array of content parts");
        }
    }

    /// <summary>The OpenAI <c>type</c> of a part, for error messages.</summary>
    public static string TypeName(ContentPart part) => part switch
    {
        TextPart => "text",
        ImagePart => "image_url",
        AudioPart => "input_audio",
        FilePart => "file",
        RefusalPart => "refusal",
        ThinkingPart => "thinking",
        RedactedThinkingPart => "redacted_thinking",
        ToolCallPart => "tool_call",
        ToolResultPart => "tool_result",
        _ => "unknown",
    };

    public static CacheControl ReadCacheControl(ref Utf8JsonReader reader, string parentPath, string member)
    {
        var path = Join(parentPath, member);
        ExpectObject(ref reader, path, "");
        string? type = null;
        string? ttl = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryReadString(ref reader, "type"u8, path, ref type)
                && !TryReadString(ref reader, "ttl"u8, path, ref ttl))
            {
                SkipValue(ref reader);
            }
        }
        return new CacheControl(type ?? "ephemeral", ttl);
    }

    private static ContentPart ReadPart(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path, "");

        string? type = null;
        string? text = null;
        string? refusal = null;
        DataUrl? imageUrl = null;
        string? detail = null;
        AudioPart? audio = null;
        FilePart? file = null;
        CacheControl? cacheControl = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TryReadString(ref reader, "type"u8, path, ref type)
                || TryReadString(ref reader, "text"u8, path, ref text)
                || TryReadString(ref reader, "refusal"u8, path, ref refusal))
            {
                continue;
            }
            if (reader.ValueTextEquals("image_url"u8))
            {
                ReadValue(ref reader);
                (imageUrl, detail) = ReadImageUrl(ref reader, path, "image_url");
            }
            else if (reader.ValueTextEquals("input_audio"u8))
            {
                ReadValue(ref reader);
                audio = ReadInputAudio(ref reader, path, "input_audio");
            }
            else if (reader.ValueTextEquals("file"u8))
            {
                ReadValue(ref reader);
                file = ReadFile(ref reader, path, "file");
            }
            else if (reader.ValueTextEquals("cache_control"u8))
            {
                ReadValue(ref reader);
                cacheControl = reader.TokenType == JsonTokenType.Null ? null : ReadCacheControl(ref reader, path, "cache_control");
            }
            else
            {
                // Members of part types this reader does not know have nowhere to go; the type check
                // below refuses such parts anyway.
                SkipValue(ref reader);
            }
        }

        ContentPart part = type switch
        {
            null => throw Missing($"{path}.type"),
            "text" => new TextPart(text ?? throw Missing($"{path}.text")),
            "image_url" => ToImage(imageUrl ?? throw Missing($"{path}.image_url"), detail, path),
            "input_audio" => audio ?? throw Missing($"{path}.input_audio"),
            "file" => file ?? throw Missing($"{path}.file"),
            "refusal" => new RefusalPart(refusal ?? throw Missing($"{path}.refusal")),
            _ => throw Fail($"{path}.type", $"'{type}' is not a valid content part type"),
        };
        return cacheControl is null ? part : part with { CacheControl = cacheControl };
    }

    private static ImagePart ToImage(DataUrl url, string? detail, string path) =>
        url.Data is not null
            ? ImagePart.FromData(url.Data, url.MediaType!, detail)
            : ImagePart.FromUrl(CheckMediaUrl(url.Url!, $"{path}.image_url.url", allowData: true), detail);

    private static (DataUrl? Url, string? Detail) ReadImageUrl(ref Utf8JsonReader reader, string parentPath, string member)
    {
        var path = Join(parentPath, member);
        if (reader.TokenType == JsonTokenType.String)
        {
            // A bare string is not OpenAI's shape, but vLLM and others accept it and so do we.
            return (ReadDataUrlOrString(ref reader, path, ""), null);
        }
        ExpectObject(ref reader, path, "");
        DataUrl? url = null;
        string? detail = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("url"u8))
            {
                ReadValue(ref reader);
                url = ReadDataUrlOrString(ref reader, path, "url");
            }
            else if (reader.ValueTextEquals("detail"u8))
            {
                ReadValue(ref reader);
                detail = ReadOptionalString(ref reader, path, "detail");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return (url ?? throw Missing($"{path}.url"), detail);
    }

    private static AudioPart ReadInputAudio(ref Utf8JsonReader reader, string parentPath, string member)
    {
        var path = Join(parentPath, member);
        ExpectObject(ref reader, path, "");
        string? data = null;
        string? format = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                ReadValue(ref reader);
                data = ReadString(ref reader, path, "data");
            }
            else if (reader.ValueTextEquals("format"u8))
            {
                ReadValue(ref reader);
                format = ReadString(ref reader, path, "format");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new AudioPart(data ?? throw Missing($"{path}.data"), format ?? throw Missing($"{path}.format"));
    }

    private static FilePart ReadFile(ref Utf8JsonReader reader, string parentPath, string member)
    {
        var path = Join(parentPath, member);
        ExpectObject(ref reader, path, "");
        string? fileId = null;
        string? filename = null;
        DataUrl? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TryReadString(ref reader, "file_id"u8, path, ref fileId)
                || TryReadString(ref reader, "filename"u8, path, ref filename))
            {
                continue;
            }
            if (reader.ValueTextEquals("file_data"u8))
            {
                ReadValue(ref reader);
                data = reader.TokenType == JsonTokenType.Null ? null : ReadDataUrlOrString(ref reader, path, "file_data");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        if (fileId is null && data is null)
        {
            throw Fail(path, "must have file_id or file_data");
        }
        // file_data is documented as base64 but sent as a data: URL in practice; a bare value is kept as
        // base64 without a media type so it goes back out the way it came.
        var value = data.GetValueOrDefault();
        return new FilePart
        {
            FileId = fileId,
            Filename = filename,
            Data = value.Data ?? value.Url,
            MediaType = value.MediaType,
        };
    }
}
