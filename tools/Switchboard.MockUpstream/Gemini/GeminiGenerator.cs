using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>A generated candidate: thought summary, then either a function call or text pieces.</summary>
internal sealed class GeminiCandidate
{
    public List<string> Thoughts { get; init; } = [];

    public bool IncludeThoughts { get; init; }

    public List<string> Pieces { get; init; } = [];

    public string? CallName { get; init; }

    public string? CallArgs { get; init; }

    /// <summary>On the function call (or, for text, on the last part) when the model thinks.</summary>
    public string? Signature { get; init; }

    public required string FinishReason { get; init; }

    public int OutputTokens => CallArgs is null ? Pieces.Count : ResponseGenerator.SplitFragments(CallArgs).Count;
}

internal sealed class GeminiResult
{
    public required string Model { get; init; }

    public required string ResponseId { get; init; }

    public required List<GeminiCandidate> Candidates { get; init; }

    public required int PromptTokens { get; init; }

    public int MediaTokens { get; init; }

    public bool Thinking { get; init; }

    public int ThoughtTokens => Thinking ? Candidates.Sum(c => c.Thoughts.Count) : 0;

    public int CandidateTokens => Candidates.Sum(c => c.OutputTokens);
}

/// <summary>
/// Deterministic answers, the same as the other mocks': a function response is acknowledged, declared functions
/// are called with arguments sampled from their schema, JSON mode follows the schema, anything else is echoed.
/// </summary>
internal static class GeminiGenerator
{
    private const int MediaTokenCost = 258;

    public static GeminiResult Generate(GeminiRequest req, Knobs knobs)
    {
        var candidates = new List<GeminiCandidate>(req.CandidateCount);
        for (int i = 0; i < req.CandidateCount; i++)
        {
            candidates.Add(Candidate(req, knobs));
        }
        int media = req.Contents.Sum(c => c.Parts.Count(p => p.Kind is "inlineData" or "fileData")) * MediaTokenCost;
        return new GeminiResult
        {
            Model = req.Model,
            ResponseId = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 23),
            Candidates = candidates,
            PromptTokens = PromptTokens(req) + media,
            MediaTokens = media,
            Thinking = req.Thinking,
        };
    }

    /// <summary>~4 characters a token, 3 per content of framing (media are added by the caller).</summary>
    private static int PromptTokens(GeminiRequest req)
    {
        int total = (req.SystemChars + 3) / 4 + (req.ToolChars + 3) / 4;
        foreach (var c in req.Contents)
        {
            int chars = c.Parts.Sum(p => p.Text.Length + (p.Name?.Length ?? 0) + (p.Payload?.GetRawText().Length ?? 0));
            total += 3 + ((chars + 3) / 4);
        }
        return total;
    }

    private static GeminiCandidate Candidate(GeminiRequest req, Knobs knobs)
    {
        string userText = req.LastUserText();
        var last = req.Contents[^1];
        var response = last.Role != "model" ? last.Parts.FindLast(p => p.Kind == "functionResponse") : null;
        var thoughts = req.Thinking ? ResponseGenerator.SplitWords("Thinking about: " + userText) : [];
        // maxOutputTokens covers thinking too, as on the real 2.5 models.
        int budget = (req.MaxOutputTokens ?? int.MaxValue) - thoughts.Count;

        if (response is null && req.Functions.Count > 0 && req.Mode != CallingMode.None)
        {
            var fn = req.Mode is CallingMode.Any or CallingMode.Validated && req.AllowedFunctions.Count > 0
                ? req.Functions.Find(f => f.Name == req.AllowedFunctions[0])!
                : req.Functions[0];
            string args = SchemaSampler.Sample(fn.Schema);
            bool cut = ResponseGenerator.SplitFragments(args).Count > budget;
            return new GeminiCandidate
            {
                Thoughts = thoughts,
                IncludeThoughts = req.IncludeThoughts,
                CallName = cut ? null : fn.Name,
                CallArgs = cut ? null : args,
                Signature = req.Thinking && !cut ? ThoughtSignatures.ForGemini(fn.Name + args) : null,
                FinishReason = cut ? "MAX_TOKENS" : "STOP",
            };
        }

        bool json = req.ResponseMimeType == "application/json";
        string text = response is not null ? "The tool returned: " + Compact(response.Payload)
            : json && req.ResponseSchema is { } schema ? SchemaSampler.Sample(schema)
            : json ? ResponseGenerator.EchoObject(userText)
            : knobs.Words is int n ? string.Concat(ResponseGenerator.Words(n))
            : "Echo: " + userText;
        text = Anthropic.MessagesGenerator.ApplyStop(text, req.StopSequences).Text;
        var pieces = json && response is null ? ResponseGenerator.SplitFragments(text) : ResponseGenerator.SplitWords(text);
        bool truncated = pieces.Count > Math.Max(budget, 0);
        if (truncated)
        {
            pieces.RemoveRange(Math.Max(budget, 0), pieces.Count - Math.Max(budget, 0));
        }
        return new GeminiCandidate
        {
            Thoughts = thoughts,
            IncludeThoughts = req.IncludeThoughts,
            Pieces = pieces,
            Signature = req.Thinking ? ThoughtSignatures.ForGemini(string.Concat(pieces)) : null,
            FinishReason = truncated ? "MAX_TOKENS" : "STOP",
        };
    }

    /// <summary>The function response re-serialised without whitespace (<c>{"temp":21}</c>).</summary>
    private static string Compact(JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return "{}";
        }
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, JsonShape.WriterOptions))
        {
            p.WriteTo(w);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
