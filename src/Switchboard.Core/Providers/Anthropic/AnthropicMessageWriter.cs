using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Writes <c>system</c> and <c>messages</c>. An Anthropic request read by
/// <see cref="AnthropicMessagesRequestReader"/> goes back message for message (mid-conversation <c>system</c>
/// messages in place). A request from another
/// dialect is reshaped the way the Messages API wants it: system and developer messages (wherever they
/// are) hoisted into <c>system</c>; tool messages turned into <c>tool_result</c> blocks of a user turn;
/// consecutive turns of the same role merged, with a user turn's tool results ahead of its other blocks;
/// blocks the API refuses (empty text, unsigned thinking) and turns left empty dropped.
/// </summary>
internal static class AnthropicMessageWriter
{
    /// <summary>Writes <c>system</c>, if there are system or developer messages.</summary>
    public static void WriteSystem(Utf8JsonWriter writer, ImmutableArray<Message> messages, BlockContext context)
    {
        var parts = new List<(ContentPart Part, int Message, int Index)>();
        var systemMessages = 0;
        var form = ContentForm.Auto;
        // An Anthropic request keeps its mid-conversation system messages in place: only the leading ones (the
        // top-level system as read) go into `system`.
        var end = context.Own ? LeadingSystemCount(messages) : messages.Length;
        for (var m = 0; m < end; m++)
        {
            var message = messages[m];
            if (message.Role is not (ChatRole.System or ChatRole.Developer))
            {
                continue;
            }
            systemMessages++;
            form = message.Form;
            for (var p = 0; p < message.Parts.Length; p++)
            {
                var part = message.Parts[p];
                if (part is not TextPart text)
                {
                    throw Fail($"messages[{m}].content[{p}]", "system and developer messages must be text for Anthropic");
                }
                if (context.Own || text.Text.Length > 0)
                {
                    parts.Add((part, m, p));
                }
            }
        }
        if (parts.Count == 0 && !(context.Own && systemMessages > 0))
        {
            return;
        }

        var single = parts.Count == 1 && systemMessages == 1 && IsPlain(parts[0].Part);
        var asString = context.Own ? form == ContentForm.Text && (single || parts.Count == 0) : single;
        if (asString)
        {
            writer.WriteString("system"u8, parts.Count == 0 ? "" : ((TextPart)parts[0].Part).Text);
            return;
        }
        writer.WriteStartArray("system"u8);
        foreach (var (part, m, p) in parts)
        {
            context.MessageIndex = m;
            context.PartIndex = p;
            AnthropicContentWriter.WriteBlock(writer, part, context);
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes the <c>messages</c> member.</summary>
    public static void WriteMessages(Utf8JsonWriter writer, ImmutableArray<Message> messages, BlockContext context)
    {
        writer.WriteStartArray("messages"u8);
        if (context.Own)
        {
            WriteOwn(writer, messages, context);
        }
        else
        {
            WriteReshaped(writer, messages, context);
        }
        writer.WriteEndArray();
    }

    private static void WriteOwn(Utf8JsonWriter writer, ImmutableArray<Message> messages, BlockContext context)
    {
        for (var m = LeadingSystemCount(messages); m < messages.Length; m++)
        {
            var message = messages[m];
            context.MessageIndex = m;
            writer.WriteStartObject();
            writer.WriteString("role"u8, message.Role switch
            {
                ChatRole.Assistant => "assistant"u8,
                ChatRole.System or ChatRole.Developer => "system"u8,
                _ => "user"u8,
            });
            writer.WritePropertyName("content"u8);
            if (message.Form == ContentForm.Text && message.Parts.Length == 1 && IsPlain(message.Parts[0]))
            {
                writer.WriteStringValue(((TextPart)message.Parts[0]).Text);
            }
            else
            {
                writer.WriteStartArray();
                WriteParts(writer, message.Parts, context);
                writer.WriteEndArray();
            }
            if (context.WriteExtensions)
            {
                WireWriting.WriteExtensions(writer, message.Extensions);
            }
            writer.WriteEndObject();
        }
    }

    private static void WriteParts(Utf8JsonWriter writer, ImmutableArray<ContentPart> parts, BlockContext context)
    {
        var toolCalls = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            if (!AnthropicContentWriter.IsWritable(part, context.Own))
            {
                continue;
            }
            context.PartIndex = p;
            context.ToolCallIndex = toolCalls;
            toolCalls += part is ToolCallPart ? 1 : 0;
            AnthropicContentWriter.WriteBlock(writer, part, context);
        }
    }

    private static void WriteReshaped(Utf8JsonWriter writer, ImmutableArray<Message> messages, BlockContext context)
    {
        var turn = new List<Item>();
        var turnRole = ChatRole.User;
        var written = 0;
        for (var m = 0; m < messages.Length; m++)
        {
            var message = messages[m];
            if (message.Role is ChatRole.System or ChatRole.Developer)
            {
                continue;
            }
            var role = message.Role == ChatRole.Assistant ? ChatRole.Assistant : ChatRole.User;
            if (role != turnRole && turn.Count > 0)
            {
                written += WriteTurn(writer, turnRole, turn, context);
                turn.Clear();
            }
            turnRole = role;
            var toolCalls = 0;
            for (var p = 0; p < message.Parts.Length; p++)
            {
                var part = message.Parts[p];
                if (AnthropicContentWriter.IsWritable(part, own: false))
                {
                    turn.Add(new Item(part, m, p, toolCalls));
                }
                toolCalls += part is ToolCallPart ? 1 : 0;
            }
        }
        if (turn.Count > 0)
        {
            written += WriteTurn(writer, turnRole, turn, context);
        }
        if (written == 0)
        {
            throw Fail("messages", "must contain at least one user or assistant message with content");
        }
    }

    private static int WriteTurn(Utf8JsonWriter writer, ChatRole role, List<Item> turn, BlockContext context)
    {
        if (role == ChatRole.User)
        {
            // The API wants a user turn's tool_result blocks before anything else in it.
            StablePartition(turn);
        }
        writer.WriteStartObject();
        writer.WriteString("role"u8, role == ChatRole.Assistant ? "assistant"u8 : "user"u8);
        writer.WritePropertyName("content"u8);
        if (turn.Count == 1 && IsPlain(turn[0].Value))
        {
            writer.WriteStringValue(((TextPart)turn[0].Value).Text);
        }
        else
        {
            writer.WriteStartArray();
            foreach (var item in turn)
            {
                context.MessageIndex = item.Message;
                context.PartIndex = item.Part;
                context.ToolCallIndex = item.ToolCall;
                AnthropicContentWriter.WriteBlock(writer, item.Value, context);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        return 1;
    }

    private static void StablePartition(List<Item> turn)
    {
        var firstOther = -1;
        for (var i = 0; i < turn.Count; i++)
        {
            if (turn[i].Value is not ToolResultPart)
            {
                firstOther = firstOther < 0 ? i : firstOther;
            }
            else if (firstOther >= 0)
            {
                var results = new List<Item>(turn.Count);
                var others = new List<Item>(turn.Count);
                foreach (var item in turn)
                {
                    (item.Value is ToolResultPart ? results : others).Add(item);
                }
                turn.Clear();
                turn.AddRange(results);
                turn.AddRange(others);
                return;
            }
        }
    }

    /// <summary>How many system or developer messages open the conversation.</summary>
    private static int LeadingSystemCount(ImmutableArray<Message> messages)
    {
        var count = 0;
        while (count < messages.Length && messages[count].Role is ChatRole.System or ChatRole.Developer)
        {
            count++;
        }
        return count;
    }

    private static bool IsPlain(ContentPart part) =>
        part is TextPart && part.CacheControl is null && part.Extensions.IsDefaultOrEmpty;

    /// <summary>A part and where it was, for error paths.</summary>
    private readonly record struct Item(ContentPart Value, int Message, int Part, int ToolCall);
}
