using System.Text;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// Every byte the upstream sends, serialized once at startup. The chunk shapes are OpenAI's (gpt-4o-mini,
/// late 2025): <c>usage: null</c> on every chunk only when the client asked for the usage chunk, and the
/// <c>obfuscation</c> padding field, which here carries the send timestamp.
/// </summary>
public static class CannedResponses
{
    /// <summary>Width of the send timestamp written into <c>obfuscation</c> (long.MaxValue has 19 digits).</summary>
    public const int StampDigits = 19;

    private const string Id = "chatcmpl-CBenchUpstream0000000000000";
    private const string Head = "{\"id\":\"" + Id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":";
    private static readonly string StampPlaceholder = new('0', StampDigits);

    /// <summary>Words the content chunks cycle through (one token per chunk, as models stream).</summary>
    private static readonly string[] Tokens =
    [
        "A", " switch", "board", " operator", " connects", " each", " call", ",", " one", " plug",
        " at", " a", " time", ";", " the", " line", " hums", " and", " the", " voices",
        " meet", " across", " the", " city", " in", " quiet", " copper", " threads", ".", "\\n",
    ];

    /// <summary>The full non-streaming answer (about 800 bytes, usage included).</summary>
    public static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        "{\"id\":\"" + Id + "\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A switchboard operator connects each call, "
        + "one plug at a time; the line hums and the voices meet across the city in quiet copper threads.\",\"refusal\":null,"
        + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":28,\"total_tokens\":59,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\"}");

    public static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static readonly byte[] NotFound = Encoding.UTF8.GetBytes(
        "{\"error\":{\"message\":\"Unknown request URL. The bench upstream serves POST /v1/chat/completions only.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unknown_url\"}}");

    public static readonly byte[] BadJson = Encoding.UTF8.GetBytes(
        "{\"error\":{\"message\":\"We could not parse the JSON body of your request.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");

    /// <summary>The chunk set with or without the <c>usage: null</c> member, as OpenAI does per include_usage.</summary>
    public static readonly ChunkSet WithUsage = new(includeUsage: true);
    public static readonly ChunkSet WithoutUsage = new(includeUsage: false);

    /// <summary>One SSE event, <c>data: {json}\n\n</c>, and where its timestamp digits go.</summary>
    public sealed class StampedEvent
    {
        public StampedEvent(string json)
        {
            var text = "data: " + json + "\n\n";
            Bytes = Encoding.UTF8.GetBytes(text);
            var marker = Encoding.UTF8.GetBytes("\"obfuscation\":\"" + StampPlaceholder + "\"");
            StampOffset = Bytes.AsSpan().IndexOf(marker) + marker.Length - StampDigits - 1;
        }

        public byte[] Bytes { get; }
        public int StampOffset { get; }
    }

    /// <summary>The events of one stream shape.</summary>
    public sealed class ChunkSet
    {
        public ChunkSet(bool includeUsage)
        {
            var usageNull = includeUsage ? ",\"usage\":null" : "";
            var tail = usageNull + ",\"obfuscation\":\"" + StampPlaceholder + "\"}";
            Role = new StampedEvent(Head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}]" + tail);
            Content = [.. Tokens.Select(t => new StampedEvent(Head + "[{\"index\":0,\"delta\":{\"content\":\"" + t + "\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]" + tail))];
            Finish = new StampedEvent(Head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]" + tail);
            Usage = includeUsage
                ? new StampedEvent(Head + "[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":28,\"total_tokens\":59,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
                    + "\"rejected_prediction_tokens\":0}},\"obfuscation\":\"" + StampPlaceholder + "\"}")
                : null;
        }

        public StampedEvent Role { get; }
        public StampedEvent[] Content { get; }
        public StampedEvent Finish { get; }
        public StampedEvent? Usage { get; }
    }
}
