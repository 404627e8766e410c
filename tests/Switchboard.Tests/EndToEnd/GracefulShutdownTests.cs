namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// SIGTERM to the real executable while streams are running (issue 19, item 2): a stop drains the requests in flight
/// (up to <c>server.shutdown_timeout</c>), ends the ones still running after that with an error event in their dialect,
/// records every one of them in the ledger, and exits 0 once the ledger has stopped.
/// </summary>
public sealed class GracefulShutdownTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IDisposable
{
    private const string Key = "sb-shutdown-key-0001";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("sb-shutdown-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A model on the mock that streams <paramref name="words"/> chunks, 150 ms apart.</summary>
    private string Yaml(int words, string server = "") => $$"""
        master_key: {{TestConfigs.MasterKey}}
        database: "{{Path.Combine(_dataDirectory, "switchboard.db")}}"
        {{server}}
        providers:
          slow: { type: openai, base_url: "{{mock.BaseUrl}}/_knobs/chunk_delay_ms=150;words={{words}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          slow:
            - { provider: slow, model: gpt-4o-mini }
        keys:
          - { key: {{Key}}, name: shutdown-key }
        """;

    private static HttpRequestMessage ChatStream() => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = new StringContent("""{"model":"slow","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
    };

    private static HttpRequestMessage MessagesStream() => new(HttpMethod.Post, "/v1/messages")
    {
        Content = new StringContent("""{"model":"slow","stream":true,"max_tokens":200,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
    };

    /// <summary>Sends a streaming request and waits for its first event; the rest of the body is read by the returned task.</summary>
    private static async Task<(string RequestId, Task<string> Body)> StartStreamAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        Assert.NotNull(first);
        return (response.Headers.GetValues("x-request-id").Single(), ReadRestAsync(first, reader, response));
    }

    private static async Task<string> ReadRestAsync(string first, StreamReader reader, HttpResponseMessage response)
    {
        using (response)
        using (reader)
        {
            return first + "\n" + await reader.ReadToEndAsync();
        }
    }

    /// <summary>The ledger as a fresh process on the same database reads it.</summary>
    private static async Task<JsonElement[]> LedgerRowsAsync(string yaml)
    {
        await using var reader = await GatewayProcess.StartAsync(yaml);
        using var admin = reader.Client(TestConfigs.MasterKey);
        using var page = JsonDocument.Parse(await admin.GetStringAsync("/admin/logs?limit=100"));
        return [.. page.RootElement.GetProperty("data").EnumerateArray().Select(r => r.Clone())];
    }

    [Fact]
    public async Task Sigterm_lets_a_running_stream_finish_then_flushes_the_ledger_and_exits_0()
    {
        // 30 chunks 150 ms apart: the stream runs for about 4.5 s after the signal, well past System.CommandLine's 2 s.
        var yaml = Yaml(words: 30);
        var gateway = await GatewayProcess.StartAsync(yaml);
        await using (gateway)
        {
            using var client = gateway.Client(Key);
            var (requestId, rest) = await StartStreamAsync(client, ChatStream());

            var stop = gateway.StopGracefullyAsync();
            var body = await rest;
            await stop;

            var events = Sse.DataEvents(body);
            Assert.Equal("[DONE]", events[^1]);
            Assert.DoesNotContain(events, e => e.Contains("\"error\"", StringComparison.Ordinal));
            Assert.Equal(0, gateway.ExitCode);
            Assert.Contains("Usage ledger stopped", gateway.Output, StringComparison.Ordinal);

            var row = Assert.Single(await LedgerRowsAsync(yaml), r => r.GetProperty("request_id").GetString() == requestId);
            Assert.Equal(200, row.GetProperty("status").GetInt32());
            Assert.True(row.GetProperty("stream").GetBoolean());
        }
    }

    [Fact]
    public async Task Streams_running_past_the_shutdown_timeout_end_with_an_error_event_in_their_dialect_and_are_recorded()
    {
        // 60 chunks 150 ms apart (about 9 s) against a 1 s shutdown timeout.
        var yaml = Yaml(words: 60, server: "server: { shutdown_timeout: 1s }");
        var gateway = await GatewayProcess.StartAsync(yaml);
        await using (gateway)
        {
            using var client = gateway.Client(Key);
            var (openAIId, openAIRest) = await StartStreamAsync(client, ChatStream());
            var (anthropicId, anthropicRest) = await StartStreamAsync(client, MessagesStream());

            var stop = gateway.StopGracefullyAsync();
            var openAI = await openAIRest;
            var anthropic = await anthropicRest;
            await stop;

            // OpenAI dialect: a final error event and no [DONE].
            var events = Sse.DataEvents(openAI);
            Assert.DoesNotContain("[DONE]", events);
            var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
            Assert.Equal("server_shutting_down", error.GetProperty("code").GetString());
            // Anthropic dialect: an `event: error` with the Anthropic error shape, and no message_stop.
            Assert.Contains("event: error", anthropic, StringComparison.Ordinal);
            Assert.DoesNotContain("message_stop", anthropic, StringComparison.Ordinal);
            var anthropicError = JsonDocument.Parse(Sse.DataEvents(anthropic)[^1]).RootElement;
            Assert.Equal("error", anthropicError.GetProperty("type").GetString());
            Assert.Contains("shutting down", anthropicError.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

            Assert.Equal(0, gateway.ExitCode);
            Assert.Contains("Usage ledger stopped", gateway.Output, StringComparison.Ordinal);
            var rows = await LedgerRowsAsync(yaml);
            foreach (var id in new[] { openAIId, anthropicId })
            {
                var row = Assert.Single(rows, r => r.GetProperty("request_id").GetString() == id);
                Assert.Equal(503, row.GetProperty("status").GetInt32());
                Assert.Equal("server_shutting_down", row.GetProperty("error_code").GetString());
            }
        }
    }
}
