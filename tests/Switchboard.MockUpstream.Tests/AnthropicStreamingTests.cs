namespace Switchboard.MockUpstream.Tests;

public sealed class AnthropicStreamingTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private static readonly string Body = J("{'model':'claude-sonnet-4-5','max_tokens':100,'stream':true,'messages':[{'role':'user','content':'hello big world'}]}");
    private static readonly string PlainBody = J("{'model':'claude-sonnet-4-5','max_tokens':100,'messages':[{'role':'user','content':'hi'}]}");
    private readonly MockHost _mock = fixture.Host;

    private static string AnthropicDir => Path.Combine(FixtureLocator.Find(null)!, "anthropic");

    private async Task<(HttpResponseMessage Response, string Body)> StreamAsync(string body, string path = "/v1/messages")
    {
        var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest(path, body));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Text_stream_is_the_apis_event_sequence()
    {
        var (response, text) = await StreamAsync(Body);
        using (response)
        {
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("req_", response.Headers.GetValues("request-id").Single());
        }
        var events = ProviderWire.AnthropicEvents(text);
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        var start = events[0].Data.GetProperty("message");
        Assert.StartsWith("msg_", start.GetProperty("id").GetString());
        Assert.Empty(start.GetProperty("content").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, start.GetProperty("stop_reason").ValueKind);
        Assert.Equal("{\"type\":\"text\",\"text\":\"\"}", events[1].Data.GetProperty("content_block").GetRawText());
        Assert.Equal(["Echo:", " hello", " big", " world"], events.Skip(3).Take(4).Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString()));
        Assert.All(events.Skip(3).Take(4), e => Assert.Equal("text_delta", e.Data.GetProperty("delta").GetProperty("type").GetString()));
        var delta = events[8].Data;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(4, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(start.GetProperty("usage").GetProperty("input_tokens").GetInt32(), delta.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Thinking_and_tool_use_stream_with_their_deltas()
    {
        var (response, text) = await StreamAsync(J("{'model':'claude-sonnet-4-5','max_tokens':4000,'stream':true,'thinking':{'type':'enabled','budget_tokens':1024}," +
            "'tools':[{'name':'get_weather','input_schema':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}],'messages':[{'role':'user','content':'weather?'}]}"));
        response.Dispose();
        var events = ProviderWire.AnthropicEvents(text);
        var byIndex = events.Where(e => e.Data.TryGetProperty("index", out _)).GroupBy(e => e.Data.GetProperty("index").GetInt32()).ToList();
        Assert.Equal(2, byIndex.Count);

        var thinking = byIndex[0].ToList();
        Assert.Equal("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}", thinking[0].Data.GetProperty("content_block").GetRawText());
        var deltas = thinking.Where(e => e.Event == "content_block_delta").Select(e => e.Data.GetProperty("delta")).ToList();
        Assert.Equal("Thinking about: weather?", string.Concat(deltas.Where(d => d.GetProperty("type").GetString() == "thinking_delta").Select(d => d.GetProperty("thinking").GetString())));
        Assert.Equal("signature_delta", deltas[^1].GetProperty("type").GetString());
        Assert.StartsWith("sig_", deltas[^1].GetProperty("signature").GetString());
        Assert.Equal("content_block_stop", thinking[^1].Event);

        var tool = byIndex[1].ToList();
        var block = tool[0].Data.GetProperty("content_block");
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("get_weather", block.GetProperty("name").GetString());
        Assert.Equal("{}", block.GetProperty("input").GetRawText());
        var json = tool.Where(e => e.Event == "content_block_delta").Select(e => e.Data.GetProperty("delta")).ToList();
        Assert.All(json, d => Assert.Equal("input_json_delta", d.GetProperty("type").GetString()));
        Assert.Equal("", json[0].GetProperty("partial_json").GetString());
        Assert.True(json.Count > 3);
        Assert.Equal("{\"city\":\"sample\"}", string.Concat(json.Select(d => d.GetProperty("partial_json").GetString())));
        Assert.Equal("tool_use", events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Status_knob_answers_anthropic_errors_with_retry_after()
    {
        using (var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest("/_knobs/status=429;retry_after=2.5/v1/messages", Body)))
        {
            await ProviderWire.AssertAnthropicErrorAsync(response, 429, "rate_limit_error", "This request would exceed the rate limit", prefix: true);
            Assert.Equal("3", response.Headers.GetValues("retry-after").Single());
            Assert.False(response.Headers.Contains("retry-after-ms"));
            Assert.Equal("0", response.Headers.GetValues("anthropic-ratelimit-requests-remaining").Single());
        }
        using (var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest("/_knobs/status=529/v1/messages", Body)))
        {
            await ProviderWire.AssertAnthropicErrorAsync(response, 529, "overloaded_error", "Overloaded");
        }
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(500, "api_error")]
    [InlineData(503, "api_error")]
    public async Task Status_knob_uses_the_anthropic_error_type(int status, string type)
    {
        using var request = ProviderRequests.AnthropicRequest("/v1/messages", PlainBody);
        request.Headers.Add("x-mock-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _mock.Client.SendAsync(request);
        var error = await ProviderWire.AssertAnthropicErrorAsync(response, status, type, "", prefix: true);
        if (status == 404)
        {
            Assert.Equal("model: claude-sonnet-4-5", error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Fail_first_then_success()
    {
        string path = $"/_knobs/status=529;fail_first=1;words={Random.Shared.Next(1000, 9999)}/v1/messages";
        var statuses = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            using var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest(path, PlainBody));
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal([529, 200, 200], statuses);
    }

    [Fact]
    public async Task Malformed_knob_is_an_anthropic_400()
    {
        using var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest("/_knobs/stauts=500/v1/messages", PlainBody));
        await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error", "Mock upstream: unknown knob 'stauts'.", prefix: true);
    }

    [Fact]
    public async Task Truncate_after_ends_cleanly_before_message_stop()
    {
        var (response, text) = await StreamAsync(Body, "/_knobs/truncate_after=4/v1/messages");
        response.Dispose();
        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta"], ProviderWire.AnthropicEvents(text).Select(e => e.Event));
    }

    [Fact]
    public async Task Garbage_after_sends_a_broken_delta()
    {
        var (response, text) = await StreamAsync(Body, "/_knobs/garbage_after=2/v1/messages");
        response.Dispose();
        Assert.EndsWith("\n\nevent: content_block_delta\ndata: {not json\n\n", text);
        Assert.Equal(2, ProviderWire.AnthropicEvents(text[..text.LastIndexOf("event: content_block_delta", StringComparison.Ordinal)]).Count);
    }

    [Fact]
    public async Task Reset_after_aborts_the_connection()
    {
        using var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest("/_knobs/reset_after=3/v1/messages", Body), HttpCompletionOption.ResponseHeadersRead);
        await Wire.AssertConnectionResetAsync(response);
    }

    [Fact]
    public async Task Chunk_delay_and_latency_apply()
    {
        var sw = Stopwatch.StartNew();
        var (response, text) = await StreamAsync(Body, "/_knobs/chunk_delay_ms=30;latency_ms=100/v1/messages");
        response.Dispose();
        Assert.Equal(10, ProviderWire.AnthropicEvents(text).Count);
        Assert.True(sw.ElapsedMilliseconds >= 100 + (9 * 25), $"took {sw.ElapsedMilliseconds} ms");
    }

    public static TheoryData<string> Fixtures() => Wire.RecordedStreams("anthropic");

    [FixtureTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Stream_replay_reproduces_the_recording_byte_for_byte(string name)
    {
        using var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest($"/_knobs/fixture={name}/v1/messages", Body));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        byte[] expected = await File.ReadAllBytesAsync(Path.Combine(AnthropicDir, name + ".sse"));
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [FixtureFact]
    public async Task Non_stream_replay_folds_text_and_tool_use()
    {
        var m = await _mock.AnthropicJsonAsync(PlainBody, "/_knobs/fixture=messages-stream-tool_use/v1/messages");
        Assert.Equal("msg_019Q1hrJbZG26Fb9BQhrkHEr", m.GetProperty("id").GetString());
        Assert.Equal("I'll check the current weather in Paris for you.", m.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("{\"location\":\"Paris\"}", m.GetProperty("content")[1].GetProperty("input").GetRawText());
        Assert.Equal("tool_use", m.GetProperty("stop_reason").GetString());
        Assert.Equal(65, m.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [FixtureFact]
    public async Task Non_stream_replay_folds_thinking_with_its_signature()
    {
        var m = await _mock.AnthropicJsonAsync(PlainBody, "/_knobs/fixture=messages-stream-thinking/v1/messages");
        var thinking = m.GetProperty("content")[0];
        Assert.Equal("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185", thinking.GetProperty("thinking").GetString());
        Assert.StartsWith("EvQBCkYICxgCKkAx", thinking.GetProperty("signature").GetString());
        Assert.Equal("925 ÷ 5 = 185", m.GetProperty("content")[1].GetProperty("text").GetString());
    }

    [FixtureFact]
    public async Task Replay_honours_truncate_after()
    {
        var (response, text) = await StreamAsync(Body, "/_knobs/fixture=messages-stream-basic;truncate_after=3/v1/messages");
        response.Dispose();
        Assert.Equal(["message_start", "content_block_start", "ping"], ProviderWire.AnthropicEvents(text).Select(e => e.Event));
    }

    [Fact]
    public async Task Missing_fixture_is_an_anthropic_500()
    {
        using var response = await _mock.Client.SendAsync(ProviderRequests.AnthropicRequest("/_knobs/fixture=no-such-recording/v1/messages", Body));
        await ProviderWire.AssertAnthropicErrorAsync(response, 500, "api_error", "Mock upstream: ", prefix: true);
    }
}
