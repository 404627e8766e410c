using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Reads what an assistant message says beyond its text: <c>tool_calls</c>, legacy <c>function_call</c>,
/// and LiteLLM's <c>thinking_blocks</c> (thinking with Anthropic signatures, carried through the OpenAI
/// dialect so multi-turn thinking survives a round trip through an OpenAI client).
/// </summary>
internal static class OpenAIChatToolCallReader
{
    public static List<ToolCallPart> ReadToolCalls(ref Utf8JsonReader reader, string messagePath)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(Join(messagePath, "tool_calls"), "an array");
        }
        var calls = new List<ToolCallPart>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            calls.Add(ReadToolCall(ref reader, $"{messagePath}.tool_calls[{calls.Count}]"));
        }
        return calls;
    }

    /// <summary>Reads a legacy <c>function_call</c> object as a tool call without an id.</summary>
    public static ToolCallPart? ReadFunctionCall(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var (name, arguments) = ReadFunction(ref reader, path, "arguments");
        return new ToolCallPart(null, name, arguments);
    }

    public static List<ContentPart> ReadThinkingBlocks(ref Utf8JsonReader reader, string messagePath)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(Join(messagePath, "thinking_blocks"), "an array");
        }
        var blocks = new List<ContentPart>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            blocks.Add(ReadThinkingBlock(ref reader, $"{messagePath}.thinking_blocks[{blocks.Count}]"));
        }
        return blocks;
    }

    private static ToolCallPart ReadToolCall(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path, "");
        string? id = null;
        string? type = null;
        (string Name, string Arguments)? function = null;
        (string Name, string Input)? custom = null;
        string? signature = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TryReadString(ref reader, "id"u8, path, ref id)
                || TryReadString(ref reader, "type"u8, path, ref type))
            {
                continue;
            }
            if (reader.ValueTextEquals("function"u8))
            {
                ReadValue(ref reader);
                function = ReadFunction(ref reader, Join(path, "function"), "arguments");
            }
            else if (reader.ValueTextEquals("custom"u8))
            {
                ReadValue(ref reader);
                custom = ReadFunction(ref reader, Join(path, "custom"), "input");
            }
            else if (reader.ValueTextEquals("extra_content"u8))
            {
                ReadValue(ref reader);
                signature = ReadGoogleThoughtSignature(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (id is null)
        {
            throw Missing(Join(path, "id"));
        }
        switch (type ?? "function")
        {
            case "function":
                var (name, arguments) = function ?? throw Missing(Join(path, "function"));
                return new ToolCallPart(id, name, arguments) { Signature = signature };
            case "custom":
                var (customName, input) = custom ?? throw Missing(Join(path, "custom"));
                return new ToolCallPart(id, customName, input) { Signature = signature, Kind = ToolCallKind.Custom };
            default:
                throw Fail(Join(path, "type"), $"'{type}' is not a valid tool call type");
        }
    }

    /// <summary>Reads <c>{name, arguments}</c> (or <c>{name, input}</c> for custom tools). Arguments
    /// given as a JSON object instead of a string are taken as their JSON text.</summary>
    private static (string Name, string Arguments) ReadFunction(ref Utf8JsonReader reader, string path, string argumentsMember)
    {
        ExpectObject(ref reader, path, "");
        string? name = null;
        string? arguments = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                ReadValue(ref reader);
                name = ReadOptionalString(ref reader, path, "name");
            }
            else if (reader.ValueTextEquals(argumentsMember))
            {
                ReadValue(ref reader);
                arguments = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.StartObject => JsonElement.ParseValue(ref reader).GetRawText(),
                    JsonTokenType.Null => null,
                    _ => throw WrongType(Join(path, argumentsMember), "a string"),
                };
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return (name ?? throw Missing(Join(path, "name")), arguments ?? throw Missing(Join(path, argumentsMember)));
    }

    /// <summary>Gemini's OpenAI-compatible endpoint puts a call's thought signature in
    /// <c>extra_content.google.thought_signature</c>; other <c>extra_content</c> is dropped.</summary>
    internal static string? ReadGoogleThoughtSignature(ref Utf8JsonReader reader)
    {
        var extra = JsonElement.ParseValue(ref reader);
        return extra.ValueKind == JsonValueKind.Object
            && extra.TryGetProperty("google"u8, out var google)
            && google.ValueKind == JsonValueKind.Object
            && google.TryGetProperty("thought_signature"u8, out var signature)
            && signature.ValueKind == JsonValueKind.String
                ? signature.GetString()
                : null;
    }

    private static ContentPart ReadThinkingBlock(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path, "");
        string? type = null;
        string? thinking = null;
        string? signature = null;
        string? data = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryReadString(ref reader, "type"u8, path, ref type)
                && !TryReadString(ref reader, "thinking"u8, path, ref thinking)
                && !TryReadString(ref reader, "signature"u8, path, ref signature)
                && !TryReadString(ref reader, "data"u8, path, ref data))
            {
                SkipValue(ref reader);
            }
        }
        return type switch
        {
            "thinking" => new ThinkingPart(thinking ?? "", signature),
            "redacted_thinking" => new RedactedThinkingPart(data ?? throw Missing(Join(path, "data"))),
            null => throw Missing(Join(path, "type")),
            _ => throw Fail(Join(path, "type"), $"'{type}' is not a valid thinking block type"),
        };
    }
}
