using System.Text;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// Every byte the upstream sends, serialized once at startup. The chunk shapes are OpenAI's (gpt-4o-mini,
/// late 2025): <c>usage: null</c> on every chunk only when the client asked for the usage chunk, and the
/// <c>obfuscation</c> padding field, which here carries the send timestamp. The Responses API, Anthropic Messages and
/// Gemini shapes are in <see cref="ResponsesApiAnswers"/>, <see cref="AnthropicResponses"/> and <see cref="GeminiResponses"/>.
/// </summary>
public static class CannedResponses
{
    /// <summary>Width of the send timestamp (long.MaxValue has 19 digits).</summary>
    public const int StampDigits = 19;

    /// <summary>
    /// The text stamp: a content token that starts with <c>[t=</c>, the 19 digits, and <c>]</c>. A gateway that
    /// translates a stream drops fields like <c>obfuscation</c> but must relay the text, so the send time of each
    /// content chunk survives every translation path (see the bench client's SseArrivalReader).
    /// </summary>
    public const string TextStampPrefix = "[t=";

    private const string Id = "chatcmpl-CBenchUpstream0000000000000";
    private const string Head = "{\"id\":\"" + Id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":";
    internal static readonly string StampPlaceholder = new('0', StampDigits);

    /// <summary>The placeholder of a text stamp, as it appears inside a JSON string.</summary>
    internal static readonly string TextStampPlaceholder = TextStampPrefix + StampPlaceholder + "]";

    /// <summary>Words the content chunks cycle through (one token per chunk, as models stream), JSON-escaped.</summary>
    internal static readonly string[] Tokens =
    [
        "A", " switch", "board", " operator", " connects", " each", " call", ",", " one", " plug",
        " at", " a", " time", ";", " the", " line", " hums", " and", " the", " voices",
        " meet", " across", " the", " city", " in", " quiet", " copper", " threads", ".", "\\n",
    ];

    /// <summary>The whole answer as one text (JSON-escaped), for the non-streaming responses.</summary>
    internal const string AnswerText = "A switchboard operator connects each call, one plug at a time; the line hums and the voices meet "
        + "across the city in quiet copper threads.";

    /// <summary>The full non-streaming answer (about 800 bytes, usage included).</summary>
    public static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        "{\"id\":\"" + Id + "\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + AnswerText + "\",\"refusal\":null,"
        + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":28,\"total_tokens\":59,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\"}");

    public static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static readonly byte[] NotFound = Encoding.UTF8.GetBytes(
        "{\"error\":{\"message\":\"Unknown request URL. The bench upstream serves POST /v1/chat/completions, /v1/responses, /v1/messages and "
        + "/v1beta/models/{model}:generateContent (or :streamGenerateContent) only.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unknown_url\"}}");

    public static readonly byte[] BadJson = Encoding.UTF8.GetBytes(
        "{\"error\":{\"message\":\"We could not parse the JSON body of your request.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");

    /// <summary>The chunk set with or without the <c>usage: null</c> member, as OpenAI does per include_usage.</summary>
    public static readonly ChunkSet WithUsage = new(includeUsage: true, textStamp: false);
    public static readonly ChunkSet WithoutUsage = new(includeUsage: false, textStamp: false);

    /// <summary>
    /// The same streams with the send time in the content text (<see cref="TextStampPrefix"/>) instead of
    /// <c>obfuscation</c> (which then holds zeros): asked for with a model id ending in
    /// <see cref="RequestKnobs.TextStampModelSuffix"/>, for the paths where a gateway translates the stream.
    /// </summary>
    public static readonly ChunkSet TextStampedWithUsage = new(includeUsage: true, textStamp: true);
    public static readonly ChunkSet TextStampedWithoutUsage = new(includeUsage: false, textStamp: true);

    /// <summary>One SSE event and where its timestamp digits go (-1: nowhere).</summary>
    public sealed class StampedEvent
    {
        /// <summary>An event whose stamp follows the first occurrence of <paramref name="marker"/> in its text.</summary>
        public StampedEvent(string sseText, string? marker)
        {
            Bytes = Encoding.UTF8.GetBytes(sseText);
            if (marker is null)
            {
                StampOffset = -1;
                return;
            }
            var at = Bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
            if (at < 0) throw new InvalidOperationException($"stamp marker {marker} not found in {sseText}");
            StampOffset = at + marker.Length;
        }

        /// <summary>An OpenAI chunk, <c>data: {json}\n\n</c>, stamped in <c>obfuscation</c> or in the text.</summary>
        public static StampedEvent OpenAI(string json, bool textStamp) =>
            new("data: " + json + "\n\n", textStamp ? TextStampPrefix : "\"obfuscation\":\"");

        public byte[] Bytes { get; }
        public int StampOffset { get; }
    }

    /// <summary>The events of one stream shape.</summary>
    public sealed class ChunkSet
    {
        public ChunkSet(bool includeUsage, bool textStamp)
        {
            var usageNull = includeUsage ? ",\"usage\":null" : "";
            var tail = usageNull + ",\"obfuscation\":\"" + StampPlaceholder + "\"}";
            var stampOnText = textStamp ? TextStampPlaceholder : "";
            Role = StampedEvent.OpenAI(Head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}]" + tail, textStamp: false);
            Content = [.. Tokens.Select(t => StampedEvent.OpenAI(Head + "[{\"index\":0,\"delta\":{\"content\":\"" + stampOnText + t + "\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]" + tail, textStamp))];
            Finish = StampedEvent.OpenAI(Head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]" + tail, textStamp: false);
            Usage = includeUsage
                ? StampedEvent.OpenAI(Head + "[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":28,\"total_tokens\":59,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
                    + "\"rejected_prediction_tokens\":0}},\"obfuscation\":\"" + StampPlaceholder + "\"}", textStamp: false)
                : null;
            if (textStamp)
            {
                // Only the content chunks carry a stamp then (the others keep zeros, which the client ignores).
                Role = Unstamped(Role);
                Finish = Unstamped(Finish);
                if (Usage is not null) Usage = Unstamped(Usage);
            }
        }

        private static StampedEvent Unstamped(StampedEvent e) => new(Encoding.UTF8.GetString(e.Bytes), marker: null);

        public StampedEvent Role { get; }
        public StampedEvent[] Content { get; }
        public StampedEvent Finish { get; }
        public StampedEvent? Usage { get; }
    }
}
