using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>Parsing of a choice's <c>delta</c> and of error frames.</summary>
public sealed partial class OpenAIChatStreamReader
{
    private Delta ReadDelta(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }
        ExpectObject(ref reader, "choices", "delta");
        var delta = default(Delta);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                ReadValue(ref reader);
                delta.Content = ReadOptionalString(ref reader, "delta", "content");
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                ReadValue(ref reader);
                delta.Reasoning ??= reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                ReadValue(ref reader);
                delta.Refusal = ReadOptionalString(ref reader, "delta", "refusal");
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                ReadValue(ref reader);
                ReadToolCallDeltas(ref reader);
            }
            else if (reader.ValueTextEquals("function_call"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType != JsonTokenType.Null)
                {
                    _toolDeltas.Add(ReadToolCallDelta(ref reader, legacy: true));
                }
            }
            else if (reader.ValueTextEquals("thinking_blocks"u8))
            {
                ReadValue(ref reader);
                ReadThinkingBlocks(ref reader, ref delta);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return delta;
    }

    private void ReadToolCallDeltas(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType("delta.tool_calls", "an array");
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            _toolDeltas.Add(ReadToolCallDelta(ref reader, legacy: false));
        }
    }

    /// <summary>Reads a <c>tool_calls[]</c> entry, or a legacy <c>function_call</c> delta (index 0, no id).</summary>
    private ToolDelta ReadToolCallDelta(ref Utf8JsonReader reader, bool legacy)
    {
        ExpectObject(ref reader, "delta", "tool_calls");
        var tool = new ToolDelta { Index = legacy ? 0 : _toolDeltas.Count };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                ReadValue(ref reader);
                tool.Index = ReadOptionalInt(ref reader, "delta.tool_calls", "index", min: 0) ?? tool.Index;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                ReadValue(ref reader);
                tool.Id = ReadOptionalString(ref reader, "delta.tool_calls", "id");
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                ReadValue(ref reader);
                tool.Name = ReadOptionalString(ref reader, "delta.function_call", "name");
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                ReadValue(ref reader);
                tool.Arguments = ReadOptionalString(ref reader, "delta.function_call", "arguments");
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                ExpectObject(ref reader, "delta.tool_calls", "function");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("name"u8))
                    {
                        ReadValue(ref reader);
                        tool.Name = ReadOptionalString(ref reader, "delta.tool_calls.function", "name");
                    }
                    else if (reader.ValueTextEquals("arguments"u8))
                    {
                        ReadValue(ref reader);
                        tool.Arguments = ReadOptionalString(ref reader, "delta.tool_calls.function", "arguments");
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("extra_content"u8))
            {
                ReadValue(ref reader);
                tool.Signature = OpenAIChatToolCallReader.ReadGoogleThoughtSignature(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return tool;
    }

    /// <summary>LiteLLM streams a thinking block's signature (and redacted blocks) in
    /// <c>delta.thinking_blocks</c>; the text itself also comes as <c>reasoning_content</c>, so only the
    /// text of deltas without <c>reasoning_content</c> is taken from here.</summary>
    private static void ReadThinkingBlocks(ref Utf8JsonReader reader, ref Delta delta)
    {
        var blocks = JsonElement.ParseValue(ref reader);
        if (blocks.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type"u8, out var type))
            {
                continue;
            }
            if (type.ValueEquals("redacted_thinking"u8) && block.TryGetProperty("data"u8, out var data) && data.ValueKind == JsonValueKind.String)
            {
                delta.RedactedThinking = data.GetString();
            }
            else if (type.ValueEquals("thinking"u8))
            {
                if (block.TryGetProperty("signature"u8, out var signature) && signature.ValueKind == JsonValueKind.String
                    && signature.GetString() is { Length: > 0 } value)
                {
                    delta.Signature = value;
                }
                if (delta.Reasoning is null && block.TryGetProperty("thinking"u8, out var text)
                    && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } thinking)
                {
                    delta.ThinkingFromBlocks = thinking;
                }
            }
        }
        delta.Reasoning ??= delta.ThinkingFromBlocks;
    }

    private static StreamErrorEvent ReadError(ref Utf8JsonReader reader)
    {
        var error = JsonElement.ParseValue(ref reader);
        if (error.ValueKind == JsonValueKind.String)
        {
            return new StreamErrorEvent(error.GetString() ?? "upstream error");
        }
        if (error.ValueKind != JsonValueKind.Object)
        {
            return new StreamErrorEvent("upstream error");
        }
        return new StreamErrorEvent(StringMember(error, "message") ?? "upstream error")
        {
            Type = StringMember(error, "type"),
            Code = error.TryGetProperty("code"u8, out var code) && code.ValueKind == JsonValueKind.Number ? code.GetRawText() : StringMember(error, "code"),
            Param = StringMember(error, "param"),
        };
    }

    private static string? StringMember(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
