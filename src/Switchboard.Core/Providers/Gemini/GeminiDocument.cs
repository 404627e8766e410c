using System.Text.Json;
using Switchboard.Http;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Gemini;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// What one <c>GenerateContentResponse</c> (a whole response, or one stream chunk) said, read by
/// <see cref="GeminiDocumentReader"/> before it becomes a <see cref="ChatResponse"/> or stream events.
/// </summary>
internal sealed class GeminiDocument
{
    public string? ResponseId { get; set; }

    public string? ModelVersion { get; set; }

    public List<GeminiCandidate> Candidates { get; } = [];

    public Usage? Usage { get; set; }

    /// <summary><c>promptFeedback.blockReason</c>: the prompt itself was refused.</summary>
    public string? BlockReason { get; set; }

    public string? BlockReasonMessage { get; set; }

    /// <summary>An <c>error</c> object in place of a response (a stream that failed after it began).</summary>
    public JsonElement? Error { get; set; }
}

/// <summary>One <c>candidates[]</c> entry.</summary>
internal sealed class GeminiCandidate
{
    public int Index { get; set; }

    public List<GeminiPart> Parts { get; } = [];

    public string? FinishReason { get; set; }

    /// <summary><c>logprobsResult</c> already in OpenAI's <c>logprobs</c> shape.</summary>
    public JsonElement? Logprobs { get; set; }

    public bool HasFunctionCall
    {
        get
        {
            foreach (var part in Parts)
            {
                if (part.CallName is not null)
                {
                    return true;
                }
            }
            return false;
        }
    }
}

/// <summary>One <c>Part</c>: text (a thought or not), a function call, or media; any may carry a signature.</summary>
internal readonly record struct GeminiPart
{
    public string? Text { get; init; }

    public bool Thought { get; init; }

    public string? Signature { get; init; }

    /// <summary>Gemini's own <c>functionCall.id</c>, when it sent one.</summary>
    public string? CallId { get; init; }

    /// <summary><c>functionCall.name</c>; non-null exactly when the part is a function call.</summary>
    public string? CallName { get; init; }

    /// <summary><c>functionCall.args</c> as compact JSON text (<c>{}</c> when absent).</summary>
    public string? CallArguments { get; init; }

    public string? MimeType { get; init; }

    /// <summary>Base64 bytes of <c>inlineData</c>.</summary>
    public string? Data { get; init; }

    /// <summary><c>fileData.fileUri</c>.</summary>
    public string? FileUri { get; init; }

    /// <summary>A fresh tool call id for calls Gemini sent without one: <c>call_</c> + 24 hex digits.</summary>
    public static string NewCallId() => WireIds.Random("call_", 24);
}
