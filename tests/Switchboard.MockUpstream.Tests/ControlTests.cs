namespace Switchboard.MockUpstream.Tests;

/// <summary>Each test starts its own mock: these tests assert exact counters.</summary>
public sealed class ControlTests
{
    private static readonly string StreamBody = J("{'model':'gpt-4o','stream':true,'messages':[{'role':'user','content':'hi'}]}");

    [Fact]
    public async Task Requests_are_logged_with_headers_and_body_and_reset_clears_them()
    {
        await using var mock = await MockHost.StartAsync();
        string body = J("{'model':'gpt-4o','messages':[{'role':'user','content':'logged'}]}");
        using var request = Post("/_knobs/latency_ms=1/v1/chat/completions?x=1", body);
        request.Headers.Add("X-Trace", "abc");
        (await mock.Client.SendAsync(request)).Dispose();
        (await mock.Client.GetAsync("/v1/models")).Dispose();

        var log = await mock.GetJsonAsync("/_mock/requests");
        Assert.Equal(2, log.GetArrayLength());
        var first = log[0];
        Assert.Equal("POST", first.GetProperty("method").GetString());
        Assert.Equal("/v1/chat/completions", first.GetProperty("path").GetString());
        Assert.Equal("x=1", first.GetProperty("query").GetString());
        Assert.Equal("latency_ms=1", first.GetProperty("knobs").GetString());
        Assert.Equal(body, first.GetProperty("body").GetString());
        Assert.Equal("Bearer mock-key", first.GetProperty("headers").GetProperty("authorization").GetString());
        Assert.Equal("abc", first.GetProperty("headers").GetProperty("x-trace").GetString());
        Assert.True(first.GetProperty("received_at").TryGetDateTimeOffset(out _));
        Assert.Equal("GET", log[1].GetProperty("method").GetString());

        var stats = await mock.StatsAsync();
        Assert.Equal(2, stats.GetProperty("requests").GetInt64());

        using (var reset = await mock.Client.PostAsync("/_mock/reset", null))
        {
            Assert.Equal(200, (int)reset.StatusCode);
        }
        Assert.Equal(0, (await mock.GetJsonAsync("/_mock/requests")).GetArrayLength());
        Assert.Equal(0, (await mock.StatsAsync()).GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Completed_streams_are_counted()
    {
        await using var mock = await MockHost.StartAsync();
        using (var response = await mock.PostAsync("/v1/chat/completions", StreamBody))
        {
            await response.Content.ReadAsStringAsync();
        }
        var stats = await mock.WaitForStatAsync("streams_completed", 1);
        Assert.Equal(1, stats.GetProperty("streams_started").GetInt64());
        Assert.Equal(1, stats.GetProperty("streams_completed").GetInt64());
        Assert.Equal(0, stats.GetProperty("streams_aborted_by_client").GetInt64());
    }

    [Fact]
    public async Task Client_disconnect_mid_stream_is_counted_as_aborted_by_client()
    {
        // No draining on dispose: disposing an unfinished response closes the connection at once,
        // like a gateway cancelling its upstream call when its own client goes away.
        await using var mock = await MockHost.StartAsync(handler: new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero });
        var response = await mock.Client.SendAsync(
            Post("/_knobs/chunk_delay_ms=200;words=500/v1/chat/completions", StreamBody), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\n\n", StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer);
            Assert.True(n > 0, "stream ended before the first event");
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        Assert.Equal(1, (await mock.StatsAsync()).GetProperty("streams_started").GetInt64());

        await stream.DisposeAsync();
        response.Dispose();

        var stats = await mock.WaitForStatAsync("streams_aborted_by_client", 1);
        Assert.Equal(1, stats.GetProperty("streams_aborted_by_client").GetInt64());
        Assert.Equal(0, stats.GetProperty("streams_completed").GetInt64());
    }

    [Fact]
    public async Task Server_side_reset_is_not_a_client_abort()
    {
        await using var mock = await MockHost.StartAsync();
        using (var response = await mock.Client.SendAsync(Post("/_knobs/reset_after=1/v1/chat/completions", StreamBody), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            try
            {
                while (await stream.ReadAsync(new byte[256]) > 0)
                {
                }
            }
            catch (IOException)
            {
            }
        }
        await Task.Delay(100);
        var stats = await mock.StatsAsync();
        Assert.Equal(1, stats.GetProperty("streams_started").GetInt64());
        Assert.Equal(0, stats.GetProperty("streams_aborted_by_client").GetInt64());
        Assert.Equal(0, stats.GetProperty("streams_completed").GetInt64());
    }

    [Fact]
    public async Task Fixture_replay_without_fixtures_dir_is_a_clear_500()
    {
        await using var mock = await MockHost.StartAsync(new MockUpstreamOptions { FixturesDir = Path.Combine(Path.GetTempPath(), "no-such-fixtures-" + Guid.NewGuid()) });
        using var response = await mock.PostAsync("/_knobs/fixture=chat-stream-text-a/v1/chat/completions", StreamBody);
        var error = await Wire.AssertErrorAsync(response, 500, "Mock upstream: fixtures directory does not exist:", null, null, prefix: true);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        // Everything else still works without fixtures.
        using var plain = await mock.PostAsync("/v1/chat/completions", StreamBody);
        Assert.Equal(200, (int)plain.StatusCode);
    }

    [Fact]
    public async Task Custom_api_key_is_enforced()
    {
        await using var mock = await MockHost.StartAsync(new MockUpstreamOptions { ApiKey = "sk-other" });
        using var wrong = await mock.PostAsync("/v1/chat/completions", StreamBody);
        Assert.Equal(401, (int)wrong.StatusCode);
        using var right = await mock.PostAsync("/v1/chat/completions", StreamBody, key: "sk-other");
        Assert.Equal(200, (int)right.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await mock.GetJsonAsync("/_mock/requests")).ValueKind);
    }
}
