using System.Text;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>Writes canonical parts as Anthropic content blocks.</summary>
internal static class AnthropicContentWriter
{
    public const string PlainText = "text/plain";

    /// <summary>
    /// Whether a part becomes a block at all. Left out: another provider's raw blocks; thinking without a
    /// signature, which the API refuses (it is other providers' reasoning, which an Anthropic client
    /// echoes back with an empty signature); and for foreign requests empty text, which the API refuses too.
    /// </summary>
    public static bool IsWritable(ContentPart part, bool own) => part switch
    {
        ProviderPart provider => provider.Dialect == AnthropicMessagesDialect.Name,
        ThinkingPart thinking => !string.IsNullOrEmpty(thinking.Signature),
        _ when own => true,
        TextPart text => text.Text.Length > 0,
        RefusalPart refusal => refusal.Refusal.Length > 0,
        _ => true,
    };

    /// <summary>Writes a block for <paramref name="part"/>; <see cref="IsWritable"/> must hold.</summary>
    /// <param name="writer">The JSON writer, where an array item goes.</param>
    /// <param name="part">The part.</param>
    /// <param name="context">Error paths, id bookkeeping and whether extensions may be written.</param>
    public static void WriteBlock(Utf8JsonWriter writer, ContentPart part, BlockContext context)
    {
        switch (part)
        {
            case ProviderPart provider:
                provider.Raw.WriteTo(writer);
                return;
            case TextPart text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, text.Text);
                break;
            case RefusalPart refusal:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, refusal.Refusal);
                break;
            case ImagePart image:
                WriteImage(writer, image, context);
                break;
            case FilePart file:
                WriteFile(writer, file, context);
                break;
            case ToolCallPart call:
                WriteToolUse(writer, call, context);
                break;
            case ToolResultPart result:
                WriteToolResult(writer, result, context);
                break;
            case ThinkingPart thinking:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "thinking"u8);
                writer.WriteString("thinking"u8, thinking.Text);
                if (thinking.Signature is not null)
                {
                    writer.WriteString("signature"u8, thinking.Signature);
                }
                break;
            case RedactedThinkingPart redacted:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "redacted_thinking"u8);
                writer.WriteString("data"u8, redacted.Data);
                break;
            case AudioPart:
                throw Fail(context.Path, "audio input is not supported by Anthropic models");
            default:
                throw Fail(context.Path, $"'{part.GetType().Name}' has no Anthropic form");
        }
        WireWriting.WriteCacheControl(writer, part.CacheControl);
        if (context.WriteExtensions)
        {
            WireWriting.WriteExtensions(writer, part.Extensions);
        }
        writer.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter writer, ImagePart image, BlockContext context)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image"u8);
        writer.WriteStartObject("source"u8);
        if (image.Data is not null)
        {
            writer.WriteString("type"u8, "base64"u8);
            writer.WriteString("media_type"u8, image.MediaType ?? throw Fail(context.Path, "inline image data needs a media type"));
            writer.WriteString("data"u8, image.Data);
        }
        else if (image.Url is { } url && !url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            writer.WriteString("type"u8, "url"u8);
            writer.WriteString("url"u8, url);
        }
        else
        {
            throw Fail(context.Path, "images must be base64 data or an http(s) URL for Anthropic");
        }
        writer.WriteEndObject();
    }

    /// <summary>Documents: by file id, by URL, inline plain text (a <c>text</c> source), inline images
    /// (an <c>image</c> block), and any other inline data as a base64 document (PDF unless said otherwise).</summary>
    private static void WriteFile(Utf8JsonWriter writer, FilePart file, BlockContext context)
    {
        if (file.Data is not null && file.MediaType is { } imageType && imageType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            WriteImage(writer, ImagePart.FromData(file.Data, imageType), context);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("type"u8, "document"u8);
        writer.WriteStartObject("source"u8);
        if (file.FileId is not null)
        {
            writer.WriteString("type"u8, "file"u8);
            writer.WriteString("file_id"u8, file.FileId);
        }
        else if (file.Url is not null)
        {
            writer.WriteString("type"u8, "url"u8);
            writer.WriteString("url"u8, file.Url);
        }
        else if (file.Data is not null && string.Equals(file.MediaType, PlainText, StringComparison.OrdinalIgnoreCase))
        {
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("media_type"u8, PlainText);
            writer.WriteString("data"u8, DecodeText(file.Data, context.Path));
        }
        else if (file.Data is not null)
        {
            writer.WriteString("type"u8, "base64"u8);
            writer.WriteString("media_type"u8, file.MediaType ?? "application/pdf");
            writer.WriteString("data"u8, file.Data);
        }
        else
        {
            throw Fail(context.Path, "a file needs an id, a URL or inline data");
        }
        writer.WriteEndObject();
        if (file.Filename is not null)
        {
            writer.WriteString("title"u8, file.Filename);
        }
    }

    private static string DecodeText(string base64, string path)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw Fail(path, "plain-text file data is not valid base64");
        }
    }

    private static void WriteToolUse(Utf8JsonWriter writer, ToolCallPart call, BlockContext context)
    {
        if (call.Kind == ToolCallKind.Custom)
        {
            throw Fail(context.Path, $"custom (free-text) tool call '{call.Name}' cannot be sent to Anthropic; only JSON function calls can");
        }
        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_use"u8);
        writer.WriteString("id"u8, context.ToolUseId(call));
        writer.WriteString("name"u8, call.Name);
        writer.WritePropertyName("input"u8);
        ToolInput.Write(writer, call.Arguments, context.ArgumentsPath);
    }

    private static void WriteToolResult(Utf8JsonWriter writer, ToolResultPart result, BlockContext context)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_result"u8);
        writer.WriteString("tool_use_id"u8, context.ToolResultId(result));
        var content = result.Content;
        if (result.Form == ContentForm.Auto && content.IsDefaultOrEmpty)
        {
            // No content at all (a result that only says it is done): none is written.
        }
        else if (result.Form == ContentForm.Text || (result.Form == ContentForm.Auto && IsPlainText(content)))
        {
            writer.WriteString("content"u8, JoinText(content));
        }
        else if (!content.IsDefaultOrEmpty || result.Form == ContentForm.Parts)
        {
            writer.WriteStartArray("content"u8);
            for (var i = 0; i < content.Length; i++)
            {
                if (IsWritable(content[i], context.Own))
                {
                    context.NestedIndex = i;
                    WriteBlock(writer, content[i], context);
                }
            }
            context.NestedIndex = -1;
            writer.WriteEndArray();
        }
        if (result.IsError)
        {
            writer.WriteBoolean("is_error"u8, true);
        }
    }

    /// <summary>All parts are text without cache breakpoints or extra members (or there are none).</summary>
    public static bool IsPlainText(System.Collections.Immutable.ImmutableArray<ContentPart> parts)
    {
        foreach (var part in parts)
        {
            if (part is not TextPart || part.CacheControl is not null || !part.Extensions.IsDefaultOrEmpty)
            {
                return false;
            }
        }
        return true;
    }

    public static string JoinText(System.Collections.Immutable.ImmutableArray<ContentPart> parts)
    {
        if (parts.Length == 1 && parts[0] is TextPart only)
        {
            return only.Text;
        }
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is TextPart text)
            {
                builder.Append(text.Text);
            }
        }
        return builder.ToString();
    }
}
