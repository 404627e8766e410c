using System.Text;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Reads Anthropic content blocks into canonical parts: <c>text</c>, <c>image</c>, <c>document</c>,
/// <c>tool_use</c>, <c>tool_result</c>, <c>thinking</c>, <c>redacted_thinking</c>. Every other block type
/// (server tools, search results, compaction, images by file id, ...) becomes a <see cref="ProviderPart"/>
/// holding the block raw, and members a part has no field for go to <see cref="ContentPart.Extensions"/>,
/// so writing the parts back as Anthropic gives the blocks that were read.
/// </summary>
internal static partial class AnthropicBlockReader
{
    /// <summary>Reads <c>content</c> as a string (one text part) or an array of blocks.</summary>
    /// <param name="reader">On the value; left on its last token.</param>
    /// <param name="path">Path of the content value itself (<c>messages[2].content</c>).</param>
    /// <param name="form">How the content travelled.</param>
    /// <param name="toolNames">Tool-use id → name, filled from <c>tool_use</c> blocks and used to name results.</param>
    public static List<ContentPart> ReadContent(ref Utf8JsonReader reader, string path, out ContentForm form, Dictionary<string, string>? toolNames)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                form = ContentForm.Text;
                return [new TextPart(reader.GetString()!)];
            case JsonTokenType.StartArray:
                form = ContentForm.Parts;
                var parts = new List<ContentPart>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    parts.Add(ReadBlock(ref reader, $"{path}[{parts.Count}]", toolNames));
                }
                return parts;
            default:
                throw WrongType(path, "a string or an array of content blocks");
        }
    }

    /// <summary>Reads one block; the reader is on its <c>{</c> and is left on its <c>}</c>.</summary>
    public static ContentPart ReadBlock(ref Utf8JsonReader reader, string path, Dictionary<string, string>? toolNames)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(path, "an object");
        }
        var start = reader;
        var type = PeekType(reader) ?? throw Missing($"{path}.type");
        return type switch
        {
            "text" => ReadText(ref reader, path),
            "image" => ReadImage(ref reader, start, path),
            "document" => ReadDocument(ref reader, start, path),
            "tool_use" => ReadToolUse(ref reader, path, toolNames),
            "tool_result" => ReadToolResult(ref reader, path, toolNames),
            "thinking" => ReadThinking(ref reader, path),
            "redacted_thinking" => ReadRedactedThinking(ref reader, path),
            _ => Raw(ref reader, type),
        };
    }

    /// <summary>The block type word a part would be written as, for error messages.</summary>
    public static string TypeName(ContentPart part) => part switch
    {
        TextPart or RefusalPart => "text",
        ImagePart => "image",
        FilePart => "document",
        ToolCallPart => "tool_use",
        ToolResultPart => "tool_result",
        ThinkingPart => "thinking",
        RedactedThinkingPart => "redacted_thinking",
        ProviderPart provider => provider.Type,
        _ => "unknown",
    };

    /// <summary>The block's <c>type</c>, read ahead on a copy of the reader (it is the first member in
    /// everything Anthropic and its SDKs send, so this is cheap).</summary>
    private static string? PeekType(Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            reader.Read();
            reader.Skip();
        }
        return null;
    }

    private static ProviderPart Raw(ref Utf8JsonReader reader, string type) =>
        new(AnthropicMessagesDialect.Name, type, JsonElement.ParseValue(ref reader));

    private static TextPart ReadText(ref Utf8JsonReader reader, string path)
    {
        string? text = null;
        var common = default(Common);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                ReadValue(ref reader);
                text = ReadString(ref reader, path, "text");
            }
            else
            {
                common.Read(ref reader, path);
            }
        }
        return common.Apply(new TextPart(text ?? throw Missing($"{path}.text")));
    }

    private static ThinkingPart ReadThinking(ref Utf8JsonReader reader, string path)
    {
        string? thinking = null;
        string? signature = null;
        var common = default(Common);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("thinking"u8))
            {
                ReadValue(ref reader);
                thinking = ReadString(ref reader, path, "thinking");
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                ReadValue(ref reader);
                signature = ReadOptionalString(ref reader, path, "signature");
            }
            else
            {
                common.Read(ref reader, path);
            }
        }
        // A signature the gateway made from another provider's reasoning goes back as that provider's own.
        return common.Apply(new ThinkingPart(thinking ?? throw Missing($"{path}.thinking"), signature is null ? null : GatewayThinking.Unwrap(signature)));
    }

    private static RedactedThinkingPart ReadRedactedThinking(ref Utf8JsonReader reader, string path)
    {
        string? data = null;
        var common = default(Common);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                ReadValue(ref reader);
                data = ReadString(ref reader, path, "data");
            }
            else
            {
                common.Read(ref reader, path);
            }
        }
        return common.Apply(new RedactedThinkingPart(data ?? throw Missing($"{path}.data")));
    }

    private static ToolCallPart ReadToolUse(ref Utf8JsonReader reader, string path, Dictionary<string, string>? toolNames)
    {
        string? id = null;
        string? name = null;
        string? input = null;
        var common = default(Common);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                ReadValue(ref reader);
                id = ReadString(ref reader, path, "id");
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                ReadValue(ref reader);
                name = ReadString(ref reader, path, "name");
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                ReadValue(ref reader);
                ExpectObject(ref reader, path, "input");
                input = JsonElement.ParseValue(ref reader).GetRawText();
            }
            else
            {
                common.Read(ref reader, path);
            }
        }
        if (id is null || name is null)
        {
            throw Missing(id is null ? $"{path}.id" : $"{path}.name");
        }
        if (toolNames is not null)
        {
            toolNames[id] = name;
        }
        return common.Apply(new ToolCallPart(id, name, input ?? throw Missing($"{path}.input")));
    }

    private static ToolResultPart ReadToolResult(ref Utf8JsonReader reader, string path, Dictionary<string, string>? toolNames)
    {
        string? id = null;
        List<ContentPart>? content = null;
        var form = ContentForm.Auto;
        var isError = false;
        var common = default(Common);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("tool_use_id"u8))
            {
                ReadValue(ref reader);
                id = ReadString(ref reader, path, "tool_use_id");
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                ReadValue(ref reader);
                content = ReadContent(ref reader, $"{path}.content", out form, toolNames);
            }
            else if (reader.ValueTextEquals("is_error"u8) && reader.Read() && reader.TokenType == JsonTokenType.True)
            {
                // is_error false (or null) is kept raw below so it goes back out as sent.
                isError = true;
            }
            else
            {
                common.Read(ref reader, path, alreadyOnValue: reader.TokenType != JsonTokenType.PropertyName, "is_error");
            }
        }
        if (id is null)
        {
            throw Missing($"{path}.tool_use_id");
        }
        string? name = null;
        toolNames?.TryGetValue(id, out name);
        var result = new ToolResultPart(id) { Name = name, Content = content is null ? [] : [.. content], IsError = isError, Form = form };
        return common.Apply(result);
    }

    private static ContentPart ReadImage(ref Utf8JsonReader reader, Utf8JsonReader start, string path)
    {
        Source? source = null;
        var common = default(Common);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("source"u8))
            {
                ReadValue(ref reader);
                source = Source.Read(ref reader, $"{path}.source");
            }
            else
            {
                common.Read(ref reader, path);
            }
        }
        var s = source ?? throw Missing($"{path}.source");
        ContentPart part = s.Type switch
        {
            "base64" => ImagePart.FromData(s.Data ?? throw Missing($"{path}.source.data"), s.MediaType ?? throw Missing($"{path}.source.media_type")),
            "url" => ImagePart.FromUrl(CheckMediaUrl(s.Url ?? throw Missing($"{path}.source.url"), $"{path}.source.url", allowData: false)),
            // Files by id, and source types yet to come: only Anthropic can use them.
            _ => Raw(ref start, "image"),
        };
        return part is ProviderPart ? part : common.Apply(part);
    }

    private static ContentPart ReadDocument(ref Utf8JsonReader reader, Utf8JsonReader start, string path)
    {
        Source? source = null;
        string? title = null;
        var common = default(Common);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("source"u8))
            {
                ReadValue(ref reader);
                source = Source.Read(ref reader, $"{path}.source");
            }
            else if (reader.ValueTextEquals("title"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                title = reader.GetString();
            }
            else
            {
                common.Read(ref reader, path, alreadyOnValue: reader.TokenType != JsonTokenType.PropertyName, "title");
            }
        }
        var s = source ?? throw Missing($"{path}.source");
        FilePart? file = s.Type switch
        {
            "base64" => new FilePart { Data = s.Data ?? throw Missing($"{path}.source.data"), MediaType = s.MediaType ?? throw Missing($"{path}.source.media_type") },
            // Plain text travels as base64 in the canonical model (FilePart.Data); the writer turns
            // text/plain back into a text source.
            "text" => new FilePart
            {
                Data = Convert.ToBase64String(Encoding.UTF8.GetBytes(s.Data ?? throw Missing($"{path}.source.data"))),
                MediaType = s.MediaType ?? AnthropicContentWriter.PlainText,
            },
            "url" => new FilePart { Url = CheckMediaUrl(s.Url ?? throw Missing($"{path}.source.url"), $"{path}.source.url", allowData: false) },
            "file" => new FilePart { FileId = s.FileId ?? throw Missing($"{path}.source.file_id") },
            _ => null,
        };
        if (file is null)
        {
            // "content" sources (custom chunks) and newer kinds stay Anthropic's own.
            return Raw(ref start, "document");
        }
        return common.Apply(file with { Filename = title });
    }
}
