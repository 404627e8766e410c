using Switchboard.Translation;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>The top-level members this dialect knows, read into the raw request.</summary>
public static partial class AnthropicMessagesRequestReader
{
    /// <summary>Reads the member the reader is on if this dialect knows it; false leaves the reader on
    /// the property name.</summary>
    private static bool ReadKnownMember(ref Utf8JsonReader reader, RawRequest r)
    {
        if (reader.ValueTextEquals("model"u8))
        {
            ReadValue(ref reader);
            r.Model = ReadOptionalString(ref reader, "", "model");
        }
        else if (reader.ValueTextEquals("messages"u8))
        {
            ReadValue(ref reader);
            r.Messages = ReadMessages(ref reader);
        }
        else if (reader.ValueTextEquals("system"u8))
        {
            ReadValue(ref reader);
            r.System = ReadSystem(ref reader);
        }
        else if (reader.ValueTextEquals("max_tokens"u8))
        {
            ReadValue(ref reader);
            r.MaxTokens = ReadOptionalInt(ref reader, "", "max_tokens", min: 1);
        }
        else if (reader.ValueTextEquals("tools"u8))
        {
            ReadValue(ref reader);
            r.Tools = AnthropicToolsReader.ReadTools(ref reader);
        }
        else if (reader.ValueTextEquals("tool_choice"u8))
        {
            ReadValue(ref reader);
            var choice = JsonElement.ParseValue(ref reader);
            (r.ToolChoice, r.ParallelToolCalls) = AnthropicToolsReader.ReadToolChoice(choice, out var keepRaw);
            if (keepRaw)
            {
                r.Extensions.Add(new ExtensionField("tool_choice", choice));
            }
        }
        else if (reader.ValueTextEquals("thinking"u8))
        {
            ReadValue(ref reader);
            var thinking = JsonElement.ParseValue(ref reader);
            r.Reasoning = AnthropicToolsReader.ReadThinking(thinking, out var keepRaw);
            if (keepRaw)
            {
                r.Extensions.Add(new ExtensionField("thinking", thinking));
            }
        }
        else if (reader.ValueTextEquals("output_config"u8))
        {
            ReadValue(ref reader);
            var config = JsonElement.ParseValue(ref reader);
            r.Effort = AnthropicToolsReader.ReadEffort(config);
            if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("format"u8, out var format))
            {
                r.ResponseFormat = AnthropicToolsReader.ReadOutputFormat(format, "output_config.format");
            }
            r.Extensions.Add(new ExtensionField("output_config", config));
        }
        else if (reader.ValueTextEquals("output_format"u8))
        {
            ReadValue(ref reader);
            var format = JsonElement.ParseValue(ref reader);
            r.ResponseFormat ??= AnthropicToolsReader.ReadOutputFormat(format, "output_format");
            r.Extensions.Add(new ExtensionField("output_format", format));
        }
        else if (reader.ValueTextEquals("temperature"u8))
        {
            ReadValue(ref reader);
            r.Temperature = ReadOptionalDouble(ref reader, "", "temperature", 0, 1);
        }
        else if (reader.ValueTextEquals("top_p"u8))
        {
            ReadValue(ref reader);
            r.TopP = ReadOptionalDouble(ref reader, "", "top_p", 0, 1);
        }
        else if (reader.ValueTextEquals("top_k"u8))
        {
            ReadValue(ref reader);
            r.TopK = ReadOptionalInt(ref reader, "", "top_k", min: 0);
        }
        else if (reader.ValueTextEquals("stop_sequences"u8))
        {
            ReadValue(ref reader);
            r.StopSequences = ReadStopSequences(ref reader);
        }
        else if (reader.ValueTextEquals("stream"u8))
        {
            ReadValue(ref reader);
            r.Stream = ReadOptionalBool(ref reader, "", "stream");
        }
        else if (reader.ValueTextEquals("metadata"u8))
        {
            ReadValue(ref reader);
            var metadata = JsonElement.ParseValue(ref reader);
            r.User = ReadUserId(metadata);
            if (r.User is null && metadata.ValueKind != JsonValueKind.Null)
            {
                // Anything but {"user_id": "..."} goes back out exactly as sent.
                r.Extensions.Add(new ExtensionField("metadata", metadata));
            }
        }
        else
        {
            return false;
        }
        return true;
    }

    private static List<Message> ReadMessages(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail("messages", "must be a non-empty array", ValidationError.InvalidType);
        }
        var messages = new List<Message>();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            messages.Add(AnthropicMessageReader.Read(ref reader, $"messages[{messages.Count}]", toolNames));
        }
        if (messages.Count == 0)
        {
            throw Fail("messages", "must be a non-empty array");
        }
        return messages;
    }

    /// <summary>The top-level <c>system</c>: a string or an array of text blocks.</summary>
    private static Message? ReadSystem(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var parts = AnthropicBlockReader.ReadContent(ref reader, "system", out var form, toolNames: null);
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is not TextPart)
            {
                throw Fail($"system[{i}].type", $"'{AnthropicBlockReader.TypeName(parts[i])}' is not allowed in system; only text blocks are");
            }
        }
        return new Message { Role = ChatRole.System, Parts = [.. parts], Form = form };
    }

    private static List<string>? ReadStopSequences(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType("stop_sequences", "an array of strings");
        }
        var stop = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            stop.Add(ReadString(ref reader, $"stop_sequences[{stop.Count}]", ""));
        }
        return stop;
    }

    /// <summary><c>metadata.user_id</c> when that is all metadata says; null otherwise.</summary>
    private static string? ReadUserId(JsonElement metadata)
    {
        if (metadata.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("metadata", "an object");
        }
        string? user = null;
        var count = 0;
        foreach (var member in metadata.EnumerateObject())
        {
            count++;
            if (member.NameEquals("user_id"u8) && member.Value.ValueKind == JsonValueKind.String)
            {
                user = member.Value.GetString();
            }
        }
        return count == 1 ? user : null;
    }
}
