using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>Reads one <c>messages[i]</c> object: <c>role</c> (<c>user</c>, <c>assistant</c> or a mid-conversation <c>system</c>) and
/// <c>content</c>, checking that each block belongs on that side of the conversation.</summary>
internal static class AnthropicMessageReader
{
    public static Message Read(ref Utf8JsonReader reader, string path, Dictionary<string, string> toolNames)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(path, "an object");
        }
        string? role = null;
        List<ContentPart>? content = null;
        var form = ContentForm.Auto;
        List<ExtensionField>? extensions = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                ReadValue(ref reader);
                role = ReadString(ref reader, path, "role");
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                ReadValue(ref reader);
                content = AnthropicBlockReader.ReadContent(ref reader, $"{path}.content", out form, toolNames);
            }
            else
            {
                var name = reader.GetString()!;
                ReadValue(ref reader);
                (extensions ??= []).Add(new ExtensionField(name, JsonElement.ParseValue(ref reader)));
            }
        }

        var chatRole = role switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            null => throw Missing($"{path}.role"),
            // Mid-conversation system messages (Claude Opus 4.8 and later; Claude Code sends them to models it does not
            // know): kept in place, text only. Anthropic writers send them on where the client put them; other
            // dialects treat them like any system message.
            "system" => ChatRole.System,
            _ => throw Fail($"{path}.role", $"'{role}' is not a valid role; expected 'user', 'assistant' or 'system'"),
        };
        if (content is null)
        {
            throw Missing($"{path}.content");
        }
        if (chatRole == ChatRole.System)
        {
            CheckSystemContent(content, path);
        }
        else
        {
            CheckPlacement(content, path, chatRole);
        }
        return new Message
        {
            Role = chatRole,
            Parts = [.. content],
            Form = form,
            Extensions = extensions is null ? [] : [.. extensions],
        };
    }

    /// <summary>A mid-conversation system message carries text (and the beta's tool changes, kept as provider blocks).</summary>
    private static void CheckSystemContent(List<ContentPart> content, string path)
    {
        for (var i = 0; i < content.Count; i++)
        {
            if (content[i] is not (TextPart or ProviderPart))
            {
                throw Fail($"{path}.content[{i}].type", $"'{AnthropicBlockReader.TypeName(content[i])}' is not allowed in system messages; only text blocks are");
            }
        }
    }

    /// <summary>Tool calls and thinking are the assistant's; tool results the user's.</summary>
    private static void CheckPlacement(List<ContentPart> content, string path, ChatRole role)
    {
        for (var i = 0; i < content.Count; i++)
        {
            var part = content[i];
            var assistantOnly = part is ToolCallPart or ThinkingPart or RedactedThinkingPart;
            var userOnly = part is ToolResultPart;
            if ((assistantOnly && role != ChatRole.Assistant) || (userOnly && role != ChatRole.User))
            {
                var roleName = role == ChatRole.User ? "user" : "assistant";
                throw Fail($"{path}.content[{i}].type", $"'{AnthropicBlockReader.TypeName(part)}' is not allowed in {roleName} messages");
            }
        }
    }
}
