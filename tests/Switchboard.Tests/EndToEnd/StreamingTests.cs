namespace Switchboard.Tests.EndToEnd;

/// <summary>Streams are relayed event by event: nothing lost, nothing reordered, nothing held back, cancellation propagated.</summary>
public sealed class StreamingTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => $$"""
          slowstream: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/chunk_delay_ms=400;words=20/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => """
          slow-stream: [{ provider: slowstream, model: gpt-4o-mini }]
        """;

    [Fact]
    public async Task First_event_reaches_the_client_while_the_upstream_is_still_streaming()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"slow-stream","stream":true,"messages":[{"role":"user","content":"go"}]}"""),
        };
        var stream = await Sse.ReadTimedAsync(http, request);

        Assert.StartsWith("data: {", stream.First, StringComparison.Ordinal);
        // 20 words at 400 ms apart take ~8 s upstream; the first event must not wait for them.
        Assert.True(stream.End - stream.FirstAt > TimeSpan.FromSeconds(5), $"first event at {stream.FirstAt}, end at {stream.End}: events were held back");
        Assert.EndsWith("data: [DONE]", stream.Rest.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_disconnect_cancels_the_upstream_request()
    {
        await Mock.ResetAsync();
        using var http = Gateway.Client(TestConfigs.AliceKey);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"slow-stream","stream":true,"messages":[{"role":"user","content":"go"}]}"""),
        })
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data:", await reader.ReadLineAsync(), StringComparison.Ordinal);
        } // disposing the response closes the client's connection mid-stream

        var aborted = 0;
        for (var i = 0; i < 50 && aborted == 0; i++)
        {
            await Task.Delay(100);
            aborted = (await Mock.StatsAsync()).GetProperty("streams_aborted_by_client").GetInt32();
        }
        Assert.Equal(1, aborted);
        var completed = (await Mock.StatsAsync()).GetProperty("streams_completed").GetInt32();
        Assert.Equal(0, completed);
    }

    /// <summary>A gateway (no keys) whose one model, <c>replayed</c>, replays the recorded OpenAI stream <paramref name="fixture"/>.</summary>
    private Task<GatewayInstance> ReplayGatewayAsync(string fixture) => GatewayInstance.StartAsync($$"""
        providers:
          replay: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/fixture={{fixture}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          replayed: [{ provider: replay, model: gpt-4o }]
        """);

    [SharedFixtureTheory]
    [InlineData("chat-stream-text-a")]
    [InlineData("chat-stream-tool-call-a")]
    [InlineData("chat-stream-parallel-tool-calls")]
    [InlineData("chat-stream-logprobs-a")]
    [InlineData("chat-stream-refusal")]
    [InlineData("chat-stream-finish-length")]
    [InlineData("chat-stream-long-text")]
    public async Task Recorded_openai_streams_reach_the_client_byte_for_byte(string fixture)
    {
        await using var gateway = await ReplayGatewayAsync(fixture);
        using var http = gateway.Client("anything");
        var response = await http.PostAsync("/v1/chat/completions", Json(
            """{"model":"replayed","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}"""));
        var body = await response.Content.ReadAsByteArrayAsync();

        var recorded = await File.ReadAllBytesAsync(Path.Combine(SharedFixtures.Directory!, "openai", fixture + ".sse"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetString(recorded), Encoding.UTF8.GetString(body));
    }

    [SharedFixtureFact]
    public async Task Recorded_usage_chunk_is_dropped_for_clients_that_did_not_ask_and_everything_else_kept()
    {
        await using var gateway = await ReplayGatewayAsync("chat-stream-text-b");
        using var http = gateway.Client("anything");
        var response = await http.PostAsync("/v1/chat/completions", Json("""{"model":"replayed","stream":true,"messages":[{"role":"user","content":"x"}]}"""));
        var relayed = Sse.DataEvents(await response.Content.ReadAsStringAsync());

        var recorded = Sse.DataEvents(await File.ReadAllTextAsync(Path.Combine(SharedFixtures.Directory!, "openai", "chat-stream-text-b.sse")));
        var usageChunk = recorded.Single(e => e != "[DONE]" && JsonDocument.Parse(e).RootElement.GetProperty("choices").GetArrayLength() == 0);
        Assert.Equal(recorded.Where(e => e != usageChunk), relayed);
    }
}
