using System.Text;
using static Switchboard.Bench.Upstream.CannedResponses;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// Anthropic Messages answers, serialized once at startup, in the API's shapes (claude-haiku-4-5, late 2025; the
/// strict mock in tools/Switchboard.MockUpstream/Anthropic writes the same ones). Stream content deltas carry the
/// send time as a text stamp (Anthropic has no padding field to put it in).
/// </summary>
public static class AnthropicResponses
{
    private const string Id = "msg_01BenchUpstream00000000000";
    private const string Model = "claude-haiku-4-5-20251001";
    private const string Usage = "\"usage\":{\"input_tokens\":31,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":OUT,"
        + "\"service_tier\":\"standard\"}";

    /// <summary>The non-streaming Message (about 560 bytes).</summary>
    public static readonly byte[] Message = Encoding.UTF8.GetBytes(
        "{\"id\":\"" + Id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + Model + "\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + AnswerText + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + Usage.Replace("OUT", "28", StringComparison.Ordinal) + "}");

    /// <summary>message_start, content_block_start and ping: sent at once when the stream starts.</summary>
    public static readonly StampedEvent[] Head =
    [
        Event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + Id + "\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"" + Model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
            + Usage.Replace("OUT", "1", StringComparison.Ordinal) + "}}", stamped: false),
        Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}", stamped: false),
        Event("ping", "{\"type\": \"ping\"}", stamped: false),
    ];

    /// <summary>One content_block_delta per token, the send time stamped at the start of its text.</summary>
    public static readonly StampedEvent[] Content = [.. Tokens.Select(t => Event("content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + TextStampPlaceholder + t + "\"}}",
        stamped: true))];

    /// <summary>content_block_stop, message_delta (stop reason, output tokens) and message_stop.</summary>
    public static readonly StampedEvent[] Tail =
    [
        Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}", stamped: false),
        Event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
            + "\"usage\":{\"input_tokens\":31,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":28}}", stamped: false),
        Event("message_stop", "{\"type\":\"message_stop\"}", stamped: false),
    ];

    private static StampedEvent Event(string name, string json, bool stamped) =>
        new("event: " + name + "\ndata: " + json + "\n\n", stamped ? TextStampPrefix : null);
}
