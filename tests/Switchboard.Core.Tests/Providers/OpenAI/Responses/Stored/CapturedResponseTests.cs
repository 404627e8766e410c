using System.Text.Json.Nodes;
using Switchboard.Core.Tests.Providers.OpenAI.Responses;
using Switchboard.Providers.OpenAI.Responses.Stored;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses.Stored;

/// <summary>
/// What is kept of a body on its way to the client: the response object of a JSON answer, or of a stream's final
/// event, whatever the sizes of the writes it comes in. Streams are the recorded ones of shared/fixtures.
/// </summary>
public sealed class CapturedResponseTests
{
    public static IEnumerable<object[]> RecordedStreams => ResponsesUpstreamRecordings.StreamFiles();

    private static ResponseObject? Capture(string contentType, byte[] body, int pieceSize, int maxBytes = 1 << 24)
    {
        var capture = CapturedResponse.For(contentType, maxBytes);
        for (var offset = 0; offset < body.Length; offset += pieceSize)
        {
            capture.Write(body.AsSpan(offset, Math.Min(pieceSize, body.Length - offset)));
        }
        return capture.TakeResponse();
    }

    /// <summary>
    /// The <c>response</c> of the stream's last completed or incomplete event, as recorded; null when it has none, or
    /// when that event is not JSON (parallel-tool-call-wrapper's lacks its closing brace: nothing can be stored of it).
    /// </summary>
    private static string? FinalResponse(List<string> lines)
    {
        if (lines.LastOrDefault(line => ResponsesUpstreamRecordings.TypeOf(line) is "response.completed" or "response.incomplete") is not { } final)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(final).RootElement.GetProperty("response").GetRawText();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [SharedFixtureTheory]
    [MemberData(nameof(RecordedStreams))]
    public void A_recorded_stream_yields_its_final_response_whatever_the_write_sizes(string file)
    {
        foreach (var lines in ResponsesUpstreamRecordings.Streams(file))
        {
            var expected = FinalResponse(lines);
            var wire = ResponsesUpstreamRecordings.Sse(lines);
            foreach (var pieceSize in new[] { 1, 7, 100, wire.Length })
            {
                var captured = Capture("text/event-stream; charset=utf-8", wire, pieceSize);
                if (expected is null)
                {
                    Assert.Null(captured);
                    continue;
                }
                Assert.NotNull(captured);
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(captured.Value.Json.Span)), $"{file}, writes of {pieceSize}");
            }
        }
    }

    [Fact]
    public void Events_without_an_event_line_and_with_crlf_endings_are_read_by_their_type()
    {
        var wire = Encoding.UTF8.GetBytes(
            ": keep-alive\r\n\r\n" +
            "data: {\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}\r\n\r\n" +
            "data: {\"type\":\"response.incomplete\",\r\ndata: \"response\":{\"id\":\"resp_1\",\"status\":\"incomplete\"}}\r\n\r\n");

        var captured = Capture("text/event-stream", wire, 3);

        Assert.Equal("""{"id":"resp_1","status":"incomplete"}""", Encoding.UTF8.GetString(captured!.Value.Json.Span));
    }

    [Fact]
    public void A_stream_that_failed_keeps_nothing_and_a_later_event_does_not_revive_it()
    {
        var wire = Encoding.UTF8.GetBytes(
            "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"id\":\"resp_1\"}}\n\n" +
            "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\"}\n\n");

        Assert.Null(Capture("text/event-stream", wire, 5));
    }

    [Fact]
    public void A_json_answer_is_kept_whole_and_anything_over_the_bound_is_not_kept()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"resp_2","object":"response","output":[]}""");

        var whole = Capture("application/json", body, 4);
        var tooLarge = Capture("application/json", body, 4, maxBytes: body.Length - 1);
        var notJson = Capture("text/html", body, 4);
        var withoutId = Capture("application/json", Encoding.UTF8.GetBytes("""{"object":"response","output":[]}"""), 4);
        var truncated = Capture("application/json", body.AsSpan(0, body.Length - 1).ToArray(), 4);

        Assert.Equal("resp_2", whole!.Value.Id);
        Assert.Null(tooLarge);
        Assert.Null(notJson);
        Assert.Null(withoutId);
        Assert.Null(truncated);
    }

    [Fact]
    public void A_final_event_over_the_bound_is_not_kept_but_deltas_before_it_cost_nothing()
    {
        var delta = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"" + new string('x', 5000) + "\"}\n\n";
        var final = "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_3\",\"pad\":\"" + new string('y', 300) + "\"}}\n\n";

        var small = Capture("text/event-stream", Encoding.UTF8.GetBytes(delta + final), 64, maxBytes: 1000);
        var large = Capture("text/event-stream", Encoding.UTF8.GetBytes(delta + final), 64, maxBytes: 200);

        Assert.Equal("resp_3", small!.Value.Id);
        Assert.Null(large);
    }
}
