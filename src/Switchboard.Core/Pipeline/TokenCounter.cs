using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Switchboard.Translation.Canonical;

namespace Switchboard.Pipeline;

/// <summary>
/// Counts the tokens a model sees, with the tiktoken encodings of Microsoft.ML.Tokenizers: <c>o200k_base</c> for
/// current OpenAI models (gpt-4o, gpt-4.1, gpt-5, o-series) and for every other model, <c>cl100k_base</c> for older
/// OpenAI ones (gpt-4, gpt-4-turbo, gpt-3.5, text-embedding-*). Anthropic, Gemini and other models have tokenizers
/// of their own that are not published: for them <c>o200k_base</c> is an approximation (within tens of percent for
/// English text and code), used only where the upstream itself does not count (admission, <c>count_tokens</c> off
/// Anthropic, usage an upstream omits). Each encoding is loaded once, on first use, and shared (thread-safe).
/// </summary>
/// <remarks>
/// What is counted: message texts (system, user, assistant, tool results, reasoning sent back), tool call names and
/// arguments, tool names, descriptions and schemas (property names and string values), plus a fixed 3 tokens per
/// message and 3 for the reply (OpenAI's published accounting) and 85 per image (an image's low-detail cost; real
/// image costs depend on size and model, the upstream's usage settles them). Not counted: JSON syntax, ids, model
/// names, options, base64 data and URLs. To bound the CPU a huge request can cost, at most
/// <see cref="MaxExactChars"/> characters of text per request are tokenized; the rest is extrapolated at the ratio
/// measured on what was tokenized. Clients resend the same long texts with every request (a system prompt, tool
/// definitions, the conversation so far): the counts of texts of at least <see cref="RememberedBytes"/> bytes are
/// remembered by a 64-bit hash of their JSON bytes, so a repeated text costs a hash instead of a tokenization.
/// </remarks>
public sealed class TokenCounter
{
    /// <summary>Characters tokenized exactly per request (about 250k tokens of English); beyond that, extrapolated.</summary>
    public const int MaxExactChars = 1 << 20;
    /// <summary>
    /// Long texts are tokenized in slices (cut at a space where possible), so no single BPE piece is huge: BPE's cost
    /// grows faster than linearly with a piece's length, and a run of one letter or of spaces is one piece. At 1024 a
    /// megabyte of one letter costs about 0.5 s of CPU instead of 2.3 s at 8192; English text counts the same.
    /// </summary>
    internal const int SliceChars = 1024;
    internal const int PerMessage = 3;
    internal const int ReplyPriming = 3;
    internal const int PerImage = 85;
    /// <summary>
    /// Texts at least this long (JSON bytes) have their counts remembered. Short ones too: a system line or a
    /// greeting repeats as often as a long prompt, and hashing it is far cheaper than the tokenizer, whose own cache
    /// serializes concurrent callers.
    /// </summary>
    internal const int RememberedBytes = 16;
    /// <summary>Remembered counts per encoding; the table is emptied when it reaches this size (no LRU bookkeeping).</summary>
    private const int MaxRemembered = 8192;

    private static readonly Lazy<TokenCounter> O200k = new(() => new TokenCounter("o200k_base"));
    private static readonly Lazy<TokenCounter> Cl100k = new(() => new TokenCounter("cl100k_base"));

    private readonly Tokenizer _tokenizer;
    private readonly ConcurrentDictionary<(ulong Hash, int Length), int> _remembered = new();

    private TokenCounter(string encoding)
    {
        Encoding = encoding;
        _tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
    }

    /// <summary>The tiktoken encoding's name (<c>o200k_base</c>, <c>cl100k_base</c>).</summary>
    public string Encoding { get; }

    /// <summary>
    /// Loads the default encoding (about a second of CPU and 42 MB): the gateway calls it in the background at start, so
    /// the first request that needs a count (a key with tpm or a budget, usage an upstream omits) does not pay for it.
    /// </summary>
    public static void WarmUp() => _ = O200k.Value;

    /// <summary>The counter for an upstream model id (a provider prefix such as <c>openai/</c> is ignored).</summary>
    public static TokenCounter For(string upstreamModel) => UsesCl100k(upstreamModel) ? Cl100k.Value : O200k.Value;

    internal static bool UsesCl100k(string upstreamModel)
    {
        var slash = upstreamModel.LastIndexOf('/');
        var id = slash >= 0 ? upstreamModel.AsSpan(slash + 1) : upstreamModel.AsSpan();
        const StringComparison Ci = StringComparison.OrdinalIgnoreCase;
        if (id.StartsWith("gpt-3.5", Ci) || id.StartsWith("gpt-35", Ci) || id.StartsWith("text-embedding-", Ci)) return true;
        // gpt-4, gpt-4-turbo, gpt-4-32k… but not gpt-4o, gpt-4.1 or gpt-4.5 (o200k).
        return id.StartsWith("gpt-4", Ci) && (id.Length == 5 || id[5] == '-');
    }

    /// <summary>Tokens of one text, exactly (in slices; see <see cref="SliceChars"/>).</summary>
    public long Count(ReadOnlySpan<char> text)
    {
        long tokens = 0;
        while (text.Length > SliceChars)
        {
            var cut = text[..SliceChars].LastIndexOfAny(' ', '\n');
            if (cut < SliceChars / 2) cut = SliceChars;
            // A surrogate pair must not be split: the tokenizer would see two invalid halves.
            if (char.IsHighSurrogate(text[cut - 1])) cut--;
            tokens += _tokenizer.CountTokens(text[..cut]);
            text = text[cut..];
        }
        return tokens + _tokenizer.CountTokens(text);
    }

    /// <summary>A remembered count of the text whose JSON string bytes (escaped, unquoted) are <paramref name="json"/>.</summary>
    internal bool TryRecall(ReadOnlySpan<byte> json, out int tokens) => _remembered.TryGetValue((XxHash3.HashToUInt64(json), json.Length), out tokens);

    /// <summary>Forgets every remembered count (the bench measures first sight with it).</summary>
    internal void Forget() => _remembered.Clear();

    internal void Remember(ReadOnlySpan<byte> json, long tokens)
    {
        if (_remembered.Count >= MaxRemembered) _remembered.Clear();
        _remembered[(XxHash3.HashToUInt64(json), json.Length)] = (int)Math.Min(int.MaxValue, tokens);
    }

    /// <summary>
    /// The prompt tokens of a raw request body (OpenAI chat/completions/embeddings or Anthropic messages), without
    /// parsing it into objects: one forward pass of a JSON reader (see <see cref="RequestTextScanner"/>).
    /// </summary>
    public long CountRequestBody(ReadOnlySpan<byte> json, int maxExactChars = MaxExactChars) =>
        new RequestTextScanner(this, maxExactChars).CountBody(json);

    /// <summary>The prompt tokens of a parsed request (<c>count_tokens</c>): what its messages and tools say.</summary>
    public long Count(ChatRequest request)
    {
        var scanner = new RequestTextScanner(this, MaxExactChars);
        foreach (var message in request.Messages)
        {
            scanner.AddFixed(PerMessage + 1); // the role is one token
            foreach (var part in message.Parts) Count(part, ref scanner);
        }
        foreach (var tool in request.Tools)
        {
            if (tool is FunctionTool function)
            {
                scanner.AddText(function.Name);
                if (function.Description is { } description) scanner.AddText(description);
                if (function.Parameters is { } schema) scanner.AddSchema(JsonMarshal.GetRawUtf8Value(schema));
            }
            else if (tool is ProviderTool provider)
            {
                scanner.AddText(provider.Type);
            }
        }
        scanner.AddFixed(ReplyPriming);
        return scanner.Total;
    }

    private static void Count(ContentPart part, ref RequestTextScanner scanner)
    {
        switch (part)
        {
            case TextPart text: scanner.AddText(text.Text); break;
            case ThinkingPart thinking: scanner.AddText(thinking.Text); break;
            case ToolCallPart call:
                scanner.AddText(call.Name);
                scanner.AddText(call.Arguments);
                break;
            case ToolResultPart result:
                foreach (var inner in result.Content) Count(inner, ref scanner);
                break;
            case ImagePart: scanner.AddFixed(PerImage); break;
        }
    }
}
