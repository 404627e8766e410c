using System.Text;
using static Switchboard.Bench.Upstream.CannedResponses;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// Gemini <c>generateContent</c> answers, serialized once at startup, in the API's shapes (gemini-2.5-flash, late
/// 2025; the strict mock in tools/Switchboard.MockUpstream/Gemini writes the same ones). A stream is N chunks, each a
/// whole GenerateContentResponse with one token (send time stamped at the start of its text) and the usage so far;
/// the last one carries the finish reason and the full usage. Events end with <c>\r\n\r\n</c>, as Google's do.
/// </summary>
public static class GeminiResponses
{
    private const string Tail = ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"BenchUpstreamGemini000001\"}";
    private const string PromptDetails = "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":31}]";

    /// <summary>The non-streaming GenerateContentResponse (about 480 bytes).</summary>
    public static readonly byte[] Response = Encoding.UTF8.GetBytes(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + AnswerText + "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":31,\"candidatesTokenCount\":28,\"totalTokenCount\":59," + PromptDetails + "}" + Tail);

    /// <summary>A chunk that is not the last: one token, usage so far (prompt only, as Gemini sends it).</summary>
    public static readonly StampedEvent[] Content = [.. Tokens.Select(t => Chunk(t, last: false))];

    /// <summary>The last chunk (one token, finishReason STOP, the whole usage), per token so the text keeps cycling.</summary>
    public static readonly StampedEvent[] Last = [.. Tokens.Select(t => Chunk(t, last: true))];

    private static StampedEvent Chunk(string token, bool last) => new(
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + TextStampPlaceholder + token + "\"}],\"role\":\"model\"}"
        + (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":31,"
        + (last ? "\"candidatesTokenCount\":28,\"totalTokenCount\":59," : "\"totalTokenCount\":31,") + PromptDetails + "}" + Tail + "\r\n\r\n",
        TextStampPrefix);
}
