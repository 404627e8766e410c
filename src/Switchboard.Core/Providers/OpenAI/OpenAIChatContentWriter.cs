using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>Writes message <c>content</c> as a string or as an array of OpenAI parts.</summary>
internal static class OpenAIChatContentWriter
{
    /// <summary>
    /// Writes the <c>content</c> value for parts <c>[start, end)</c>: the string form when the client
    /// used it (or, for content from another dialect, when it is a single plain text, which is what
    /// older OpenAI-compatible servers insist on), the array form otherwise. Parts with no place in
    /// user-side content (thinking, tool calls) are left out.
    /// </summary>
    public static void WriteContent(Utf8JsonWriter writer, ImmutableArray<ContentPart> parts, int start, int end, ContentForm form)
    {
        var textCount = 0;
        var writable = 0;
        var plainText = true;
        for (var i = start; i < end; i++)
        {
            var part = parts[i];
            if (!IsUserSideContent(part))
            {
                continue;
            }
            writable++;
            if (part is TextPart && part.CacheControl is null)
            {
                textCount++;
            }
            else
            {
                plainText = false;
            }
        }

        var asString = form switch
        {
            ContentForm.Parts => false,
            ContentForm.Text => plainText,
            _ => plainText && textCount <= 1,
        };
        if (asString || writable == 0)
        {
            WriteConcatenatedText(writer, parts, start, end);
            return;
        }

        writer.WriteStartArray();
        for (var i = start; i < end; i++)
        {
            WritePart(writer, parts[i]);
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes the text parts of <c>[start, end)</c> joined as one JSON string.</summary>
    public static void WriteConcatenatedText(Utf8JsonWriter writer, ImmutableArray<ContentPart> parts, int start, int end)
    {
        var joined = default(TextJoin);
        for (var i = start; i < end; i++)
        {
            if (parts[i] is TextPart text)
            {
                joined.Add(text.Text);
            }
        }
        writer.WriteStringValue(joined.Result);
    }

    /// <summary>Writes one part in array form; parts with no OpenAI content form are skipped.</summary>
    public static void WritePart(Utf8JsonWriter writer, ContentPart part)
    {
        switch (part)
        {
            case TextPart text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, text.Text);
                break;
            case ImagePart image:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "image_url"u8);
                writer.WriteStartObject("image_url"u8);
                writer.WritePropertyName("url"u8);
                if (image.Data is not null)
                {
                    WireWriting.WriteDataUrl(writer, image.MediaType ?? "application/octet-stream", image.Data);
                }
                else
                {
                    writer.WriteStringValue(image.Url);
                }
                if (image.Detail is not null)
                {
                    writer.WriteString("detail"u8, image.Detail);
                }
                writer.WriteEndObject();
                break;
            case AudioPart audio:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_audio"u8);
                writer.WriteStartObject("input_audio"u8);
                writer.WriteString("data"u8, audio.Data);
                writer.WriteString("format"u8, audio.Format);
                writer.WriteEndObject();
                break;
            case FilePart file:
                WriteFile(writer, file);
                break;
            case RefusalPart refusal:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "refusal"u8);
                writer.WriteString("refusal"u8, refusal.Refusal);
                break;
            default:
                return;
        }
        WireWriting.WriteCacheControl(writer, part.CacheControl);
        writer.WriteEndObject();
    }

    private static void WriteFile(Utf8JsonWriter writer, FilePart file)
    {
        if (file.FileId is null && file.Data is null)
        {
            // Chat Completions has no way to point at a document by URL.
            // A request error, not a gateway fault: the client hears it as a 400 in its own dialect.
            throw WireReading.Fail("messages", "a document given by URL cannot be sent to an OpenAI Chat Completions upstream; send it inline (base64) or as a file id");
        }
        writer.WriteStartObject();
        writer.WriteString("type"u8, "file"u8);
        writer.WriteStartObject("file"u8);
        if (file.FileId is not null)
        {
            writer.WriteString("file_id"u8, file.FileId);
        }
        if (file.Filename is not null)
        {
            writer.WriteString("filename"u8, file.Filename);
        }
        if (file.Data is not null)
        {
            writer.WritePropertyName("file_data"u8);
            if (file.MediaType is not null)
            {
                WireWriting.WriteDataUrl(writer, file.MediaType, file.Data);
            }
            else
            {
                writer.WriteStringValue(file.Data);
            }
        }
        writer.WriteEndObject();
    }

    private static bool IsUserSideContent(ContentPart part) =>
        part is TextPart or ImagePart or AudioPart or FilePart or RefusalPart;
}
