using System.Security.Cryptography;
using System.Text;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary>One output content block: thinking (with its signature), text, or tool_use (input as JSON fragments).</summary>
internal sealed class OutBlock
{
    public required string Type { get; init; }

    /// <summary>Text or thinking pieces (each one token and one delta), or tool_use input fragments.</summary>
    public List<string> Pieces { get; init; } = [];

    public string? Signature { get; init; }

    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>False when max_tokens cut the tool input short (the fragments are not a whole JSON object).</summary>
    public bool Complete { get; init; } = true;

    public string Content => string.Concat(Pieces);
}

/// <summary>A generated Message, written as one object or as the event stream.</summary>
internal sealed class MessageResult
{
    public required string Id { get; init; }

    public required string Model { get; init; }

    public required List<OutBlock> Blocks { get; init; }

    public required string StopReason { get; init; }

    public string? StopSequence { get; init; }

    public required int InputTokens { get; init; }

    public int CacheReadTokens { get; init; }

    public int OutputTokens => Blocks.Sum(b => b.Pieces.Count);
}

/// <summary>
/// Deterministic answers, the same as the OpenAI mock's: a tool result is acknowledged, tools are called with
/// input sampled from their schema, a JSON schema output follows the schema, anything else is echoed. With
/// thinking on, a signed thinking block comes first.
/// </summary>
internal static class MessagesGenerator
{
    private const int MediaTokens = 85;

    public static MessageResult Generate(AnthropicRequest req, Knobs knobs, MockState state)
    {
        int input = CountTokens(req, out int prefixTokens, out string? prefixKey);
        int cacheRead = prefixKey is not null && state.RememberPromptPrefix(prefixKey) ? prefixTokens : 0;

        var last = req.Messages[^1];
        string userText = LastUserText(req.Messages);
        var toolResult = last.Role == "user" ? last.Blocks.FindLast(b => b.Type == "tool_result") : null;
        int budget = req.MaxTokens;
        var blocks = new List<OutBlock>();
        // Without interleaved thinking the model does not think again after a tool result (same assistant turn).
        bool think = req.Thinking != ThinkingMode.Off && (toolResult is null || req.Interleaved || req.Thinking == ThinkingMode.Adaptive);
        if (think)
        {
            var pieces = Cut(ResponseGenerator.SplitWords("Thinking about: " + userText), ref budget, out _);
            string thinking = string.Concat(pieces);
            blocks.Add(new OutBlock { Type = "thinking", Pieces = pieces, Signature = ThoughtSignatures.ForAnthropic(thinking) });
        }

        var tools = req.Tools.Where(t => !t.Server && !t.Deferred).ToList();
        string stopReason = "end_turn";
        string? stopSequence = null;
        bool cut;
        if (toolResult is null && tools.Count > 0 && req.ToolChoice != ToolChoiceKind.None)
        {
            var tool = req.ToolChoice == ToolChoiceKind.Tool ? tools.Find(t => t.Name == req.ToolChoiceName) ?? tools[0] : tools[0];
            var fragments = Cut(ResponseGenerator.SplitFragments(SchemaSampler.Sample(tool.InputSchema)), ref budget, out cut);
            blocks.Add(new OutBlock { Type = "tool_use", Id = NewId("toolu_01"), Name = tool.Name, Pieces = fragments, Complete = !cut });
            stopReason = cut ? "max_tokens" : "tool_use";
        }
        else
        {
            string text = toolResult is not null ? "The tool returned: " + toolResult.Text
                : req.OutputSchema is { } schema ? SchemaSampler.Sample(schema)
                : knobs.Words is int n ? string.Concat(ResponseGenerator.Words(n))
                : "Echo: " + userText;
            (text, stopSequence) = ApplyStop(text, req.StopSequences);
            var pieces = req.OutputSchema is not null && toolResult is null ? ResponseGenerator.SplitFragments(text) : ResponseGenerator.SplitWords(text);
            pieces = Cut(pieces, ref budget, out cut);
            blocks.Add(new OutBlock { Type = "text", Pieces = pieces });
            stopReason = cut ? "max_tokens" : stopSequence is not null ? "stop_sequence" : "end_turn";
        }
        return new MessageResult
        {
            Id = NewId("msg_01"),
            Model = req.Model,
            Blocks = blocks,
            StopReason = stopReason,
            StopSequence = stopSequence,
            InputTokens = input - cacheRead,
            CacheReadTokens = cacheRead,
        };
    }

    /// <summary>
    /// Prompt tokens: ~4 characters a token, 3 per message and per tool of framing, 85 per image or document.
    /// Also the prompt-cache prefix (everything up to the last <c>cache_control</c> breakpoint, in the API's
    /// order tools → system → messages) and its token count, or a null key when nothing is marked for caching.
    /// </summary>
    public static int CountTokens(AnthropicRequest req, out int prefixTokens, out string? prefixKey)
    {
        var segments = new List<(int Tokens, string Raw, bool Cache)>();
        foreach (var tool in req.Tools)
        {
            segments.Add((3 + Quarter(tool.Chars), tool.Raw, tool.CacheControl));
        }
        foreach (var block in req.System)
        {
            segments.Add((Quarter(block.Chars), block.Raw, block.CacheControl));
        }
        foreach (var message in req.Messages)
        {
            segments.Add((3, message.Role, false));
            foreach (var block in message.Blocks)
            {
                segments.Add((Quarter(block.Chars) + (MediaTokens * block.Media), block.Raw, block.CacheControl));
            }
        }
        int total = segments.Sum(s => s.Tokens) + Quarter(req.MidSystemChars);
        int breakpoint = req.AutoCacheControl ? segments.Count - 1 : segments.FindLastIndex(s => s.Cache);
        prefixTokens = 0;
        prefixKey = null;
        if (breakpoint >= 0)
        {
            var key = new StringBuilder(req.Model);
            for (int i = 0; i <= breakpoint; i++)
            {
                prefixTokens += segments[i].Tokens;
                key.Append('\n').Append(segments[i].Raw);
            }
            prefixKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())));
        }
        return total;
    }

    private static int Quarter(int chars) => (chars + 3) / 4;

    private static string LastUserText(List<AnthropicMessage> messages)
    {
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == "user" && messages[i].HasType("text"))
            {
                return string.Join("\n", messages[i].Blocks.Where(b => b.Type == "text").Select(b => b.Text));
            }
        }
        return "";
    }

    /// <summary>Keeps at most <paramref name="budget"/> pieces and spends them.</summary>
    private static List<string> Cut(List<string> pieces, ref int budget, out bool cut)
    {
        cut = pieces.Count > budget;
        if (cut)
        {
            pieces.RemoveRange(Math.Max(budget, 0), pieces.Count - Math.Max(budget, 0));
        }
        budget -= pieces.Count;
        return pieces;
    }

    /// <summary>Stops before the earliest stop sequence in the text, as the model would.</summary>
    public static (string Text, string? Matched) ApplyStop(string text, List<string> stops)
    {
        int at = -1;
        string? matched = null;
        foreach (var stop in stops)
        {
            int i = text.IndexOf(stop, StringComparison.Ordinal);
            if (i >= 0 && (at < 0 || i < at))
            {
                at = i;
                matched = stop;
            }
        }
        return at < 0 ? (text, null) : (text[..at], matched);
    }

    public static string NewId(string prefix) =>
        prefix + RandomNumberGenerator.GetString("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 22);
}
