using System.Text.Json;
using Switchboard.Http;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Folds mid-conversation <c>role: "system"</c> messages of an Anthropic Messages body into the conversation, for
/// upstream models that refuse them (<c>400 messages: Unexpected role "system". Use the top-level system
/// parameter.</c>). Claude Code sends them for model names it does not know, which is every gateway alias.
/// </summary>
/// <remarks>
/// Each text block of a system message becomes a <c>&lt;system-reminder&gt;…&lt;/system-reminder&gt;</c> text block
/// of the adjacent user turn (the one before it; else the one after it, behind its tool results; else a user turn of
/// its own in its place). That is how Claude Code itself hands the model mid-conversation instructions, so the
/// model reads them as such, at the point of the conversation where the client put them. Moving them into the
/// top-level <c>system</c> instead would change the cached prompt prefix (tools, then system, then messages) on every
/// new reminder and so lose the prompt cache of the whole conversation; folded in place, everything before the
/// reminder stays byte-identical and the fold is deterministic, so the next turn's prefix matches too. A block's
/// <c>cache_control</c> goes along with it, keeping the client's cache breakpoints where they were. Blocks other than
/// text (the tool-changes beta's) only mean something to models that take system messages and are left out.
/// <para>The rewrite splices bytes: everything but the touched messages is copied as sent, and text is never
/// decoded (the escaped JSON of a system text is wrapped as it is).</para>
/// </remarks>
public static class SystemMessageFolder
{
    /// <summary>
    /// A quick byte scan: false when the body certainly has no <c>"role": "system"</c> member, so the common request
    /// costs one vectorised search and no parse. A true may be a false alarm (the fold then changes nothing).
    /// </summary>
    public static bool MayContainSystemMessage(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (true)
        {
            var hit = body[offset..].IndexOf("\"system\""u8);
            if (hit < 0) return false;
            var at = offset + hit;
            var before = body[..at].TrimEnd(" \t\r\n"u8);
            if (before.Length > 0 && before[^1] == (byte)':' && before[..^1].TrimEnd(" \t\r\n"u8).EndsWith("\"role\""u8)) return true;
            offset = at + 1;
        }
    }

    /// <summary>
    /// Writes <paramref name="body"/> with its system messages folded to <paramref name="output"/>; false (and
    /// nothing written) when there is nothing to fold or the body is not a well-formed Messages request (the
    /// upstream then answers it as it is).
    /// </summary>
    public static bool TryFold(ReadOnlySpan<byte> body, PooledBuffer output)
    {
        var messages = new List<MessageSpan>();
        var blocks = new List<ReminderBlock>();
        int arrayStart, arrayEnd;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            (arrayStart, arrayEnd) = (-1, -1);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessages = reader.ValueTextEquals("messages"u8);
                reader.Read();
                if (!isMessages || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                arrayStart = (int)reader.TokenStartIndex;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) return false;
                    messages.Add(ReadMessage(ref reader, blocks));
                }
                arrayEnd = (int)reader.BytesConsumed;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (arrayStart < 0 || !messages.Exists(m => m.Role == Role.System)) return false;

        var plan = PlanFolds(messages);
        output.Write(body[..(arrayStart + 1)]);
        var first = true;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == Role.System)
            {
                // A run of system messages with no user turn beside it stands as a user turn of its own.
                if (plan[i] != i || !RunHasBlocks(messages, i)) continue;
                Separate(output, ref first);
                output.Write("{\"role\":\"user\",\"content\":["u8);
                WriteRun(output, body, messages, blocks, i);
                output.Write("]}"u8);
                continue;
            }
            Separate(output, ref first);
            var before = FindRun(plan, messages, i, after: false);
            var after = FindRun(plan, messages, i, after: true);
            if (before < 0 && after < 0)
            {
                output.Write(body[message.Start..message.End]);
                continue;
            }
            output.Write(body[message.Start..message.ContentStart]);
            WriteFoldedContent(output, body, message, messages, blocks, before, after);
            output.Write(body[message.ContentEnd..message.End]);
        }
        output.Write(body[(arrayEnd - 1)..]);
        return true;
    }

    /// <summary>
    /// For each message, where its system run goes: the index of the user turn that takes it, or its own index when
    /// it stands alone; -1 for messages that are not system messages.
    /// </summary>
    private static int[] PlanFolds(List<MessageSpan> messages)
    {
        var plan = new int[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role != Role.System)
            {
                plan[i] = -1;
                continue;
            }
            var runStart = i;
            var runEnd = i;
            while (runEnd + 1 < messages.Count && messages[runEnd + 1].Role == Role.System) runEnd++;
            var target = runStart > 0 && messages[runStart - 1].Role == Role.User ? runStart - 1
                : runEnd + 1 < messages.Count && messages[runEnd + 1].Role == Role.User ? runEnd + 1
                : runStart;
            for (var j = runStart; j <= runEnd; j++) plan[j] = target;
            i = runEnd;
        }
        return plan;
    }

    /// <summary>The first system message of the run folded into user turn <paramref name="target"/> from before or after it; -1 when none.</summary>
    private static int FindRun(int[] plan, List<MessageSpan> messages, int target, bool after)
    {
        var next = after ? target + 1 : target - 1;
        if (next < 0 || next >= messages.Count || messages[next].Role != Role.System || plan[next] != target) return -1;
        if (after) return next;
        while (next > 0 && messages[next - 1].Role == Role.System) next--;
        return next;
    }

    private static void WriteFoldedContent(PooledBuffer output, ReadOnlySpan<byte> body, in MessageSpan message,
        List<MessageSpan> messages, List<ReminderBlock> blocks, int runBefore, int runAfter)
    {
        var content = body[message.ContentStart..message.ContentEnd];
        // Tool results must open a user turn: a run from before the turn goes after them (Claude Code puts its
        // system messages after a user turn, so this is the rare case), a run from after it goes at the end.
        var (head, tail) = message.ContentIsString
            ? (0, 0)
            : (message.LeadingToolResultsEnd < 0 ? 1 : message.LeadingToolResultsEnd - message.ContentStart,
                message.LastElementEnd < 0 ? 1 : message.LastElementEnd - message.ContentStart);
        output.Write("["u8);
        var any = false;
        if (!message.ContentIsString && head > 1)
        {
            output.Write(content[1..head]);
            any = true;
        }
        if (runBefore >= 0 && RunHasBlocks(messages, runBefore))
        {
            if (any) output.Write(","u8);
            any |= WriteRun(output, body, messages, blocks, runBefore);
        }
        if (message.ContentIsString)
        {
            if (content.Length > 2)
            {
                if (any) output.Write(","u8);
                output.Write("{\"type\":\"text\",\"text\":"u8);
                output.Write(content);
                output.Write("}"u8);
                any = true;
            }
        }
        else if (tail > head)
        {
            var rest = content[head..tail].TrimStart(" \t\r\n"u8);
            if (rest.Length > 0 && rest[0] == (byte)',') rest = rest[1..];
            if (!rest.TrimStart(" \t\r\n"u8).IsEmpty)
            {
                if (any) output.Write(","u8);
                output.Write(rest);
                any = true;
            }
        }
        if (runAfter >= 0 && RunHasBlocks(messages, runAfter))
        {
            if (any) output.Write(","u8);
            WriteRun(output, body, messages, blocks, runAfter);
        }
        output.Write("]"u8);
    }

    private static bool RunHasBlocks(List<MessageSpan> messages, int start)
    {
        for (var i = start; i < messages.Count && messages[i].Role == Role.System; i++)
        {
            if (messages[i].BlockCount > 0) return true;
        }
        return false;
    }

    /// <summary>Writes the reminder blocks of the system messages from <paramref name="start"/> on; true when it wrote any.</summary>
    private static bool WriteRun(PooledBuffer output, ReadOnlySpan<byte> body, List<MessageSpan> messages, List<ReminderBlock> blocks, int start)
    {
        var wrote = false;
        for (var i = start; i < messages.Count && messages[i].Role == Role.System; i++)
        {
            var message = messages[i];
            for (var b = message.FirstBlock; b < message.FirstBlock + message.BlockCount; b++)
            {
                var block = blocks[b];
                if (wrote) output.Write(","u8);
                // The text's JSON escapes stay as they are: only the wrapper is added around the literal's inside.
                output.Write("{\"type\":\"text\",\"text\":\"<system-reminder>\\n"u8);
                output.Write(body[(block.TextStart + 1)..(block.TextEnd - 1)]);
                output.Write("\\n</system-reminder>\""u8);
                if (block.CacheControlStart >= 0)
                {
                    output.Write(",\"cache_control\":"u8);
                    output.Write(body[block.CacheControlStart..block.CacheControlEnd]);
                }
                output.Write("}"u8);
                wrote = true;
            }
        }
        return wrote;
    }

    private static void Separate(PooledBuffer output, ref bool first)
    {
        if (!first) output.Write(","u8);
        first = false;
    }

    /// <summary>Reads one message object (the reader is on its StartObject) into its byte ranges.</summary>
    private static MessageSpan ReadMessage(ref Utf8JsonReader reader, List<ReminderBlock> blocks)
    {
        var message = new MessageSpan { Start = (int)reader.TokenStartIndex, Role = Role.Other, LeadingToolResultsEnd = -1, LastElementEnd = -1 };
        var firstBlock = blocks.Count;
        int contentStart = -1, contentEnd = -1;
        var contentIsString = false;
        var blockList = new List<ReminderBlock>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isRole = reader.ValueTextEquals("role"u8);
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (isRole && reader.TokenType == JsonTokenType.String)
            {
                message.Role = reader.ValueTextEquals("system"u8) ? Role.System : reader.ValueTextEquals("user"u8) ? Role.User : Role.Other;
                continue;
            }
            if (!isContent)
            {
                reader.Skip();
                continue;
            }
            contentStart = (int)reader.TokenStartIndex;
            if (reader.TokenType == JsonTokenType.String)
            {
                contentIsString = true;
                contentEnd = (int)reader.BytesConsumed;
                blockList.Add(new ReminderBlock(contentStart, contentEnd, -1, -1));
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                contentEnd = (int)reader.BytesConsumed;
                continue;
            }
            var leading = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var (type, text, cacheControl) = ReadBlock(ref reader);
                message.LastElementEnd = (int)reader.BytesConsumed;
                leading &= type == BlockType.ToolResult;
                if (leading) message.LeadingToolResultsEnd = message.LastElementEnd;
                if (type == BlockType.Text && text.Start >= 0) blockList.Add(new ReminderBlock(text.Start, text.End, cacheControl.Start, cacheControl.End));
            }
            contentEnd = (int)reader.BytesConsumed;
        }
        message.End = (int)reader.BytesConsumed;
        message.ContentStart = contentStart;
        message.ContentEnd = contentEnd;
        message.ContentIsString = contentIsString;
        // A message without content is left for the upstream to refuse; only system texts are kept as reminders.
        if (contentStart < 0) message.Role = message.Role == Role.System ? Role.Other : message.Role;
        if (message.Role == Role.System)
        {
            blocks.AddRange(blockList);
            message.FirstBlock = firstBlock;
            message.BlockCount = blockList.Count;
        }
        return message;
    }

    /// <summary>Reads one content block; the reader ends on the block's last token.</summary>
    private static (BlockType Type, (int Start, int End) Text, (int Start, int End) CacheControl) ReadBlock(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (BlockType.Other, (-1, -1), (-1, -1));
        }
        var type = BlockType.Other;
        (int, int) text = (-1, -1), cacheControl = (-1, -1);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isText = reader.ValueTextEquals("text"u8);
            var isCacheControl = reader.ValueTextEquals("cache_control"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                type = reader.ValueTextEquals("text"u8) ? BlockType.Text : reader.ValueTextEquals("tool_result"u8) ? BlockType.ToolResult : BlockType.Other;
                continue;
            }
            reader.Skip();
            if (isText && reader.TokenType == JsonTokenType.String) text = (start, (int)reader.BytesConsumed);
            else if (isCacheControl) cacheControl = (start, (int)reader.BytesConsumed);
        }
        return (type, text, cacheControl);
    }

    private enum Role { Other, User, System }

    private enum BlockType { Other, Text, ToolResult }

    private struct MessageSpan
    {
        public int Start, End, ContentStart, ContentEnd, LeadingToolResultsEnd, LastElementEnd, FirstBlock, BlockCount;
        public Role Role;
        public bool ContentIsString;
    }

    /// <summary>A system text to fold: its JSON string literal and its <c>cache_control</c> value (-1 when none).</summary>
    private readonly record struct ReminderBlock(int TextStart, int TextEnd, int CacheControlStart, int CacheControlEnd);
}
