using System.Collections.Concurrent;
using System.Text;
using static Switchboard.Bench.Upstream.CannedResponses;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// OpenAI Responses API answers (<c>POST /v1/responses</c>), serialized once, in the API's shapes (gpt-4o-mini; the
/// strict mock in tools/Switchboard.MockUpstream/Responses writes the same ones). A stream is response.created,
/// response.in_progress, output_item.added and content_part.added at once, one output_text.delta per token (the send
/// time stamped at the start of its text: Responses has no padding field), then output_text.done, content_part.done,
/// output_item.done and response.completed with the usage. Every event carries its <c>sequence_number</c>, so the
/// content and tail events are built per position (and kept) rather than cycled.
/// </summary>
public static class ResponsesApiAnswers
{
    private const string Id = "resp_BenchUpstream000000000000000000";
    private const string ItemId = "msg_BenchUpstream000000000000000000";
    private const string Model = "gpt-4o-mini-2024-07-18";
    private const string Usage = "\"usage\":{\"input_tokens\":31,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":28,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":59}";
    private const string Message = "{\"id\":\"" + ItemId + "\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"" + AnswerText + "\"}]}";

    private static string ResponseObject(string status, string output, string usage) =>
        "{\"id\":\"" + Id + "\",\"object\":\"response\",\"created_at\":1764000000,\"status\":\"" + status + "\",\"background\":false,"
        + "\"error\":null,\"incomplete_details\":null,\"instructions\":\"You are a helpful assistant.\",\"max_output_tokens\":64,"
        + "\"model\":\"" + Model + "\",\"output\":" + output + ",\"parallel_tool_calls\":true,\"previous_response_id\":null,"
        + "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true,\"temperature\":0.7,\"text\":{\"format\":{\"type\":\"text\"}},"
        + "\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\"," + usage + ",\"user\":null,\"metadata\":{}}";

    /// <summary>The non-streaming response object (about 900 bytes).</summary>
    public static readonly byte[] Response = Encoding.UTF8.GetBytes(ResponseObject("completed", "[" + Message + "]", Usage));

    private static readonly int IdOffset = Response.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Id)) + "resp_".Length;
    private static long _served;

    /// <summary>
    /// Sends <see cref="Response"/> with an id of its own (as OpenAI's are: unique, starting with the time), so a gateway
    /// that stores responses stores every one rather than finding the id already there.
    /// </summary>
    public static Task WriteUniqueAsync(HttpResponse response)
    {
        var body = (byte[])Response.Clone();
        var id = body.AsSpan(IdOffset, Id.Length - "resp_".Length);
        var time = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var serial = (ulong)Interlocked.Increment(ref _served);
        // 31 characters: 12 hex of milliseconds, 19 decimal of the running count.
        time.TryFormat(id[..12], out _, "x12");
        serial.TryFormat(id[12..], out _, "D19");
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>The four events sent at once when the stream starts (sequence numbers 0 to 3).</summary>
    public static readonly StampedEvent[] Head =
    [
        Event("response.created", 0, "\"response\":" + ResponseObject("in_progress", "[]", "\"usage\":null"), stamped: false),
        Event("response.in_progress", 1, "\"response\":" + ResponseObject("in_progress", "[]", "\"usage\":null"), stamped: false),
        Event("response.output_item.added", 2, "\"output_index\":0,\"item\":{\"id\":\"" + ItemId + "\",\"type\":\"message\","
            + "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}", stamped: false),
        Event("response.content_part.added", 3, "\"item_id\":\"" + ItemId + "\",\"output_index\":0,\"content_index\":0,"
            + "\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}", stamped: false),
    ];

    private static readonly ConcurrentDictionary<int, StampedEvent> Deltas = new();
    private static readonly ConcurrentDictionary<int, StampedEvent[]> Tails = new();

    /// <summary>The output_text.delta of token <paramref name="index"/> (0-based), its send time stamped in the text.</summary>
    public static StampedEvent Delta(int index) => Deltas.GetOrAdd(index, static i => Event("response.output_text.delta", Head.Length + i,
        "\"item_id\":\"" + ItemId + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + TextStampPlaceholder + Tokens[i % Tokens.Length]
        + "\",\"logprobs\":[],\"obfuscation\":\"BenchPad\"", stamped: true));

    /// <summary>The events after <paramref name="chunks"/> deltas: the done events and response.completed.</summary>
    public static StampedEvent[] Tail(int chunks) => Tails.GetOrAdd(chunks, static n =>
    {
        var seq = Head.Length + n;
        return
        [
            Event("response.output_text.done", seq, "\"item_id\":\"" + ItemId + "\",\"output_index\":0,\"content_index\":0,"
                + "\"text\":\"" + AnswerText + "\",\"logprobs\":[]", stamped: false),
            Event("response.content_part.done", seq + 1, "\"item_id\":\"" + ItemId + "\",\"output_index\":0,\"content_index\":0,"
                + "\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"" + AnswerText + "\"}", stamped: false),
            Event("response.output_item.done", seq + 2, "\"output_index\":0,\"item\":" + Message, stamped: false),
            Event("response.completed", seq + 3, "\"response\":" + ResponseObject("completed", "[" + Message + "]", Usage), stamped: false),
        ];
    });

    private static StampedEvent Event(string type, int sequence, string members, bool stamped) =>
        new("event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":" + sequence + "," + members + "}\n\n",
            stamped ? TextStampPrefix : null);
}
