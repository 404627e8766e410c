namespace Switchboard.Providers;

/// <summary>
/// The request fields a writer adapted or left out because the upstream model cannot take them as sent (a thinking
/// budget shrunk to fit <c>max_tokens</c>, a temperature dropped beside thinking...), named as the client's dialect
/// names them. The gateway tells the client in the <c>x-switchboard-adjusted</c> response header and keeps the list
/// in the ledger, so nothing a client asked for is lost without a word.
/// </summary>
public sealed class RequestAdjustments
{
    /// <summary>The response header that lists the fields, comma-separated.</summary>
    public const string Header = "x-switchboard-adjusted";

    private List<string>? _fields;

    /// <summary>Notes <paramref name="field"/> (once).</summary>
    public void Add(string field)
    {
        _fields ??= [];
        if (!_fields.Contains(field)) _fields.Add(field);
    }

    public bool IsEmpty => _fields is null;

    /// <summary>The fields in the order they were noted, comma-separated; null when none.</summary>
    public string? Joined => _fields is null ? null : string.Join(',', _fields);

    /// <summary>The client's name for the reasoning request: <c>thinking</c> (Anthropic), <c>reasoning</c>
    /// (Responses), <c>thinkingConfig</c> (Gemini), <c>reasoning_effort</c> (Chat Completions and requests built in code).</summary>
    public static string ReasoningField(string? sourceDialect) => sourceDialect switch
    {
        Anthropic.AnthropicMessagesDialect.Name => "thinking",
        OpenAI.Responses.ResponsesDialect.Name => "reasoning",
        Gemini.GeminiDialect.Name => "thinkingConfig",
        _ => "reasoning_effort",
    };
}
