using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>One generated tool call: its arguments are also kept as the fragments a stream sends.</summary>
internal sealed record ToolCallResult(string Id, string Name, List<string> Fragments)
{
    public string Arguments => string.Concat(Fragments);
}

/// <summary>One choice: either text pieces or tool calls, plus why it stopped.</summary>
internal sealed class ChoiceResult
{
    /// <summary>Content pieces ("word" then " word" ...); each is one completion token and one stream chunk.</summary>
    public List<string> Pieces { get; init; } = [];

    public List<ToolCallResult>? ToolCalls { get; init; }

    public required string FinishReason { get; init; }

    public int CompletionTokens => ToolCalls is null ? Pieces.Count : ToolCalls.Sum(c => c.Fragments.Count);

    public string Content => string.Concat(Pieces);
}

/// <summary>A generated completion, written either as one chat.completion object or as a chunk stream.</summary>
internal sealed class ChatResult
{
    public required string Id { get; init; }

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required List<ChoiceResult> Choices { get; init; }

    public required int PromptTokens { get; init; }

    public int CompletionTokens => Choices.Sum(c => c.CompletionTokens);

    public bool Logprobs { get; init; }

    public int TopLogprobs { get; init; }

    public bool IncludeUsage { get; init; }
}

/// <summary>
/// Deterministic answers so tests can assert exact text: a tool result is acknowledged, tools get called with
/// arguments sampled from their schema, structured output follows the schema, anything else is echoed.
/// </summary>
internal static class ResponseGenerator
{
    private static readonly string[] Vocabulary =
    [
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod",
        "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua",
    ];

    public static ChatResult Generate(ChatRequest req, Knobs knobs)
    {
        var choices = new List<ChoiceResult>(req.N);
        for (int i = 0; i < req.N; i++)
        {
            choices.Add(GenerateChoice(req, knobs));
        }
        return new ChatResult
        {
            Id = HttpHelpers.NewId("chatcmpl-", 29),
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Model = req.Model,
            Choices = choices,
            PromptTokens = PromptTokens(req.Messages),
            Logprobs = req.Logprobs,
            TopLogprobs = req.TopLogprobs,
            IncludeUsage = req.IncludeUsage,
        };
    }

    /// <summary>Per message 3 tokens of framing plus ~4 characters a token, 85 per image (the low-detail tile cost).</summary>
    public static int PromptTokens(List<ChatMessageInfo> messages)
    {
        int total = 0;
        foreach (var m in messages)
        {
            total += 3 + ((m.TextChars + 3) / 4) + (85 * m.ImageCount);
        }
        return total;
    }

    private static ChoiceResult GenerateChoice(ChatRequest req, Knobs knobs)
    {
        var last = req.Messages[^1];
        string userText = LastUserText(req.Messages);
        if (last.Role == "tool")
        {
            return TextChoice(SplitWords("The tool returned: " + last.Text), req.MaxTokens);
        }
        if (req.Tools.Count > 0 && req.ToolChoice != ToolChoiceMode.None)
        {
            return ToolCallChoice(req, userText);
        }
        return req.ResponseFormat switch
        {
            ResponseFormatKind.JsonSchema => TextChoice(SplitFragments(SchemaSampler.Sample(req.JsonSchema)), req.MaxTokens),
            ResponseFormatKind.JsonObject => TextChoice(SplitFragments(EchoObject(userText)), req.MaxTokens),
            _ when knobs.Words is int n => TextChoice(Words(n), req.MaxTokens),
            _ => TextChoice(SplitWords("Echo: " + userText), req.MaxTokens),
        };
    }

    private static ChoiceResult TextChoice(List<string> pieces, int? maxTokens)
    {
        if (maxTokens is int max && pieces.Count > max)
        {
            pieces.RemoveRange(max, pieces.Count - max);
            return new ChoiceResult { Pieces = pieces, FinishReason = "length" };
        }
        return new ChoiceResult { Pieces = pieces, FinishReason = "stop" };
    }

    private static ChoiceResult ToolCallChoice(ChatRequest req, string userText)
    {
        IEnumerable<ToolInfo> tools = req.ToolChoice == ToolChoiceMode.Named
            ? req.Tools.Where(t => t.Name == req.NamedTool).Take(1)
            : req.ParallelToolCalls && userText.Contains("parallel", StringComparison.OrdinalIgnoreCase)
                ? req.Tools
                : req.Tools.Take(1);

        var calls = new List<ToolCallResult>();
        int budget = req.MaxTokens ?? int.MaxValue;
        bool cut = false;
        foreach (var tool in tools)
        {
            if (budget == 0)
            {
                cut = true;
                break;
            }
            var fragments = SplitFragments(SchemaSampler.Sample(tool.Parameters));
            if (fragments.Count > budget)
            {
                fragments.RemoveRange(budget, fragments.Count - budget);
                cut = true;
            }
            budget -= fragments.Count;
            calls.Add(new ToolCallResult(HttpHelpers.NewId("call_", 24), tool.Name, fragments));
        }
        return new ChoiceResult { ToolCalls = calls, FinishReason = cut ? "length" : "tool_calls" };
    }

    private static string LastUserText(List<ChatMessageInfo> messages)
    {
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == "user")
            {
                return messages[i].Text;
            }
        }
        return "";
    }

    public static string EchoObject(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer, JsonShape.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("echo"u8, text);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static List<string> Words(int n)
    {
        var pieces = new List<string>(n);
        for (int i = 0; i < n; i++)
        {
            string word = Vocabulary[i % Vocabulary.Length];
            pieces.Add(i == 0 ? word : " " + word);
        }
        return pieces;
    }

    /// <summary>Splits text like a tokenizer does for words: leading whitespace stays with the word after it.</summary>
    public static List<string> SplitWords(string text)
    {
        var pieces = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            pieces.Add(text[start..i]);
        }
        return pieces;
    }

    /// <summary>
    /// Splits JSON text into fragments of a few characters the way the API streams arguments
    /// (<c>{"</c>, <c>city</c>, <c>":"</c>, <c>sample</c>, <c>"}</c>): letter/digit runs versus punctuation runs.
    /// </summary>
    public static List<string> SplitFragments(string json)
    {
        var pieces = new List<string>();
        int i = 0;
        while (i < json.Length)
        {
            int start = i;
            bool word = char.IsLetterOrDigit(json[i]);
            int max = word ? 8 : 3;
            while (i < json.Length && i - start < max && char.IsLetterOrDigit(json[i]) == word)
            {
                i++;
            }
            if (i < json.Length && char.IsLowSurrogate(json[i]))
            {
                i++; // never split a surrogate pair: each fragment must stay valid UTF-16
            }
            pieces.Add(json[start..i]);
        }
        return pieces;
    }
}
