namespace Switchboard.MockUpstream.Tests;

public sealed class KnobTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private static readonly string Body = J("{'model':'gpt-4o','messages':[{'role':'user','content':'one two three'}]}");
    private static readonly string StreamBody = J("{'model':'gpt-4o','stream':true,'messages':[{'role':'user','content':'one two three'}]}");
    private readonly MockHost _mock = fixture.Host;

    [Fact]
    public async Task Status_and_retry_after_from_the_path_prefix()
    {
        using var response = await _mock.PostAsync("/_knobs/status=429;retry_after=2/v1/chat/completions", Body);
        await Wire.AssertErrorAsync(response, 429, "Rate limit reached for gpt-4o in organization", null, "rate_limit_exceeded", prefix: true);
        Assert.Equal("2", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("2000", response.Headers.GetValues("retry-after-ms").Single());
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("requests", error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(400, "invalid_request_error", null)]
    [InlineData(401, "invalid_request_error", "invalid_api_key")]
    [InlineData(403, "request_forbidden", "unsupported_country_region_territory")]
    [InlineData(404, "invalid_request_error", "model_not_found")]
    [InlineData(500, "server_error", null)]
    [InlineData(502, "cf_bad_gateway", null)]
    [InlineData(503, "server_error", "overloaded")]
    public async Task Status_knob_answers_the_real_error_of_that_status(int status, string type, string? code)
    {
        using var response = await _mock.PostAsync($"/_knobs/status={status}/v1/chat/completions", Body);
        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (status == 500)
        {
            Assert.StartsWith("The server had an error while processing your request.", error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Header_knob_wins_over_the_path()
    {
        using var request = Post("/_knobs/status=429/v1/chat/completions", Body);
        request.Headers.Add("x-mock-status", "503");
        using var response = await _mock.Client.SendAsync(request);
        Assert.Equal(503, (int)response.StatusCode);
    }

    [Fact]
    public async Task Fail_first_fails_only_the_first_n_identical_requests()
    {
        // A knob string no other test uses, so the counter starts at zero.
        string path = $"/_knobs/status=500;fail_first=2;words={Random.Shared.Next(1000, 9999)}/v1/chat/completions";
        var statuses = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            using var response = await _mock.PostAsync(path, Body);
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal([500, 500, 200, 200], statuses);
    }

    [Fact]
    public async Task Unknown_knob_is_a_clear_400()
    {
        using var response = await _mock.PostAsync("/_knobs/stauts=500/v1/chat/completions", Body);
        var error = await Wire.AssertErrorAsync(response, 400, "Mock upstream: unknown knob 'stauts'.", null, null, prefix: true);
        Assert.Contains("status", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Latency_delays_the_answer()
    {
        var sw = Stopwatch.StartNew();
        using var response = await _mock.PostAsync("/_knobs/latency_ms=300/v1/chat/completions", Body);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(sw.ElapsedMilliseconds >= 280, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Chunk_delay_spaces_the_events()
    {
        var sw = Stopwatch.StartNew();
        using var response = await _mock.PostAsync("/_knobs/chunk_delay_ms=50/v1/chat/completions", StreamBody);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal(7, events.Count); // role, 4 pieces, finish, [DONE]
        Assert.True(sw.ElapsedMilliseconds >= 6 * 45, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Truncate_after_ends_cleanly_without_finish_or_done()
    {
        using var response = await _mock.PostAsync("/_knobs/truncate_after=3/v1/chat/completions", StreamBody);
        string body = await response.Content.ReadAsStringAsync(); // completes normally: no exception
        var events = Wire.DataEvents(body);
        Assert.Equal(3, events.Count);
        Assert.DoesNotContain("[DONE]", events);
        Assert.All(Wire.Chunks(events), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task Reset_after_aborts_the_connection()
    {
        using var response = await _mock.Client.SendAsync(Post("/_knobs/reset_after=2/v1/chat/completions", StreamBody), HttpCompletionOption.ResponseHeadersRead);
        await Wire.AssertConnectionResetAsync(response);
    }

    [Theory]
    [InlineData("garbage_after=2", 3, "{not json")] // broken JSON
    [InlineData("garbage_after=1;garbage=shaped", 2, "{\"choices\": not json}")] // braces around something that is not JSON
    public async Task Garbage_after_ends_the_stream_with_an_event_that_is_not_json(string knobs, int events, string garbage)
    {
        using var response = await _mock.PostAsync($"/_knobs/{knobs}/v1/chat/completions", StreamBody);
        var data = Wire.DataEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal(events, data.Count);
        Assert.Equal(garbage, data[^1]);
    }

    [Fact]
    public async Task Error_after_sends_the_real_mid_stream_error_event_and_ends()
    {
        using var response = await _mock.PostAsync("/_knobs/error_after=2/v1/chat/completions", StreamBody);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, events.Count);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain("request made with key", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echo_key_makes_injected_errors_quote_the_credential()
    {
        using var response = await _mock.PostAsync("/_knobs/error_after=0;echo_key=1/v1/chat/completions", StreamBody);
        var events = Wire.DataEvents(await response.Content.ReadAsStringAsync());
        var message = JsonDocument.Parse(Assert.Single(events)).RootElement.GetProperty("error").GetProperty("message").GetString();
        Assert.EndsWith("(request made with key " + MockHost.Key + ")", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated", "{\"id\":\"chatcmpl-mock\"")]
    [InlineData("html", "<html>")]
    [InlineData("array", "[]")]
    [InlineData("empty", "")]
    public async Task Invalid_body_answers_200_with_something_that_is_not_a_completion(string kind, string start)
    {
        using var response = await _mock.PostAsync($"/_knobs/invalid_body={kind}/v1/chat/completions", Body);
        Assert.Equal(200, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(start, text, StringComparison.Ordinal);
        Assert.False(IsCompletion(text));
    }

    private static bool IsCompletion(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("choices", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Knobs_apply_to_embeddings_too()
    {
        using var response = await _mock.PostAsync("/_knobs/status=429/v1/embeddings", J("{'model':'text-embedding-3-small','input':'x'}"));
        Assert.Equal(429, (int)response.StatusCode);
    }
}
