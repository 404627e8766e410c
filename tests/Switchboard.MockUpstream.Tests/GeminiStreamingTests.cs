namespace Switchboard.MockUpstream.Tests;

public sealed class GeminiStreamingTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Lite = "gemini-2.5-flash-lite";
    private const string Stream = "streamGenerateContent";
    private static readonly string Body = J("{'contents':[{'role':'user','parts':[{'text':'one two three four five'}]}]}");
    private readonly MockHost _mock = fixture.Host;

    private static string GeminiDir => Path.Combine(FixtureLocator.Find(null)!, "gemini");

    private async Task<string> SseAsync(string model, string body, string prefix = "")
    {
        using var response = await _mock.GeminiAsync(model, body, Stream, "?alt=sse", prefix);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Text(JsonElement chunk) =>
        string.Concat(ProviderWire.Parts(chunk).EnumerateArray().Where(p => p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()));

    [Fact]
    public async Task Sse_stream_sends_text_in_chunks_with_usage_and_no_done()
    {
        var chunks = ProviderWire.GeminiChunks(await SseAsync(Lite, Body));
        Assert.Equal(["Echo: one", " two three", " four five"], chunks.Select(Text));
        Assert.All(chunks.Take(2), c => Assert.False(c.GetProperty("candidates")[0].TryGetProperty("finishReason", out _)));
        Assert.Equal("STOP", chunks[^1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Equal([2, 4, 6], chunks.Select(c => c.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32()));
        Assert.All(chunks, c =>
        {
            Assert.Equal(chunks[0].GetProperty("responseId").GetString(), c.GetProperty("responseId").GetString());
            Assert.Equal(Lite, c.GetProperty("modelVersion").GetString());
            Assert.True(c.GetProperty("usageMetadata").GetProperty("promptTokenCount").GetInt32() > 0);
        });
    }

    [Fact]
    public async Task Function_call_comes_whole_in_one_chunk_with_its_signature()
    {
        var chunks = ProviderWire.GeminiChunks(await SseAsync("gemini-3-pro-preview", J("{'contents':[{'role':'user','parts':[{'text':'weather?'}]}]," +
            "'tools':[{'functionDeclarations':[{'name':'get_weather','parameters':{'type':'OBJECT','properties':{'city':{'type':'STRING'}},'required':['city']}}]}]}")));
        Assert.Equal(2, chunks.Count);
        var part = ProviderWire.Parts(chunks[0])[0];
        Assert.Equal("{\"name\":\"get_weather\",\"args\":{\"city\":\"sample\"}}", part.GetProperty("functionCall").GetRawText());
        Assert.False(string.IsNullOrEmpty(part.GetProperty("thoughtSignature").GetString()));
        Assert.Equal("STOP", chunks[1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Equal(3, chunks[1].GetProperty("usageMetadata").GetProperty("thoughtsTokenCount").GetInt32());
    }

    [Fact]
    public async Task Thinking_stream_has_thoughts_first_and_a_signature_last()
    {
        var chunks = ProviderWire.GeminiChunks(await SseAsync("gemini-2.5-flash", J("{'contents':[{'role':'user','parts':[{'text':'why?'}]}],'generationConfig':{'thinkingConfig':{'includeThoughts':true}}}")));
        var first = ProviderWire.Parts(chunks[0])[0];
        Assert.True(first.GetProperty("thought").GetBoolean());
        Assert.Equal("Thinking about: why?", first.GetProperty("text").GetString());
        Assert.Equal("Echo: why?", Text(chunks[1]));
        var last = ProviderWire.Parts(chunks[^1])[0];
        Assert.Equal("", last.GetProperty("text").GetString());
        Assert.False(string.IsNullOrEmpty(last.GetProperty("thoughtSignature").GetString()));
        Assert.Equal("STOP", chunks[^1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Without_alt_sse_the_stream_is_one_json_array()
    {
        using var response = await _mock.GeminiAsync(Lite, Body, Stream);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("[{", text);
        var array = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["Echo: one", " two three", " four five"], array.EnumerateArray().Select(Text));
    }

    [Fact]
    public async Task Status_429_is_resource_exhausted_with_retry_info()
    {
        using var response = await _mock.GeminiAsync(Lite, Body, Stream, "?alt=sse", "/_knobs/status=429;retry_after=34.4");
        var error = await ProviderWire.AssertGoogleErrorAsync(response, 429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan", prefix: true);
        var details = error.GetProperty("details").EnumerateArray().ToList();
        Assert.Equal("type.googleapis.com/google.rpc.QuotaFailure", details[0].GetProperty("@type").GetString());
        var retry = details.Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.RetryInfo");
        Assert.Equal("34.4s", retry.GetProperty("retryDelay").GetString());
        Assert.False(response.Headers.Contains("retry-after"));
    }

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT")]
    [InlineData(401, "UNAUTHENTICATED")]
    [InlineData(403, "PERMISSION_DENIED")]
    [InlineData(404, "NOT_FOUND")]
    [InlineData(500, "INTERNAL")]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    public async Task Status_knob_uses_the_google_status(int code, string status)
    {
        using var request = ProviderRequests.GeminiRequest($"/v1beta/models/{Lite}:generateContent", Body);
        request.Headers.Add("x-mock-status", code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _mock.Client.SendAsync(request);
        var error = await ProviderWire.AssertGoogleErrorAsync(response, code, status, "", prefix: true);
        if (code == 404)
        {
            Assert.StartsWith($"models/{Lite} is not found", error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Fail_first_then_success()
    {
        string prefix = $"/_knobs/status=503;fail_first=2;words={Random.Shared.Next(1000, 9999)}";
        var statuses = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            using var response = await _mock.GeminiAsync(Lite, Body, prefix: prefix);
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal([503, 503, 200], statuses);
    }

    [Fact]
    public async Task Truncate_after_ends_cleanly_without_finish_reason()
    {
        var chunks = ProviderWire.GeminiChunks(await SseAsync(Lite, Body, "/_knobs/truncate_after=2"));
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.False(c.GetProperty("candidates")[0].TryGetProperty("finishReason", out _)));
    }

    [Fact]
    public async Task Truncated_json_array_is_left_open()
    {
        using var response = await _mock.GeminiAsync(Lite, Body, Stream, prefix: "/_knobs/truncate_after=1");
        string text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("[{", text);
        Assert.False(text.EndsWith(']'));
    }

    [Fact]
    public async Task Garbage_after_sends_broken_json()
    {
        string text = await SseAsync(Lite, Body, "/_knobs/garbage_after=1");
        Assert.EndsWith("\r\n\r\ndata: {not json\r\n\r\n", text);
        Assert.Single(ProviderWire.GeminiChunks(text[..(text.LastIndexOf("data: ", StringComparison.Ordinal))]));
    }

    [Fact]
    public async Task Reset_after_aborts_the_connection()
    {
        using var request = ProviderRequests.GeminiRequest($"/_knobs/reset_after=1/v1beta/models/{Lite}:{Stream}?alt=sse", Body);
        using var response = await _mock.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Wire.AssertConnectionResetAsync(response);
    }

    [Fact]
    public async Task Chunk_delay_and_latency_apply()
    {
        var sw = Stopwatch.StartNew();
        var chunks = ProviderWire.GeminiChunks(await SseAsync(Lite, Body, "/_knobs/latency_ms=100;chunk_delay_ms=50"));
        Assert.Equal(3, chunks.Count);
        Assert.True(sw.ElapsedMilliseconds >= 100 + (2 * 45), $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Malformed_knob_is_a_google_400()
    {
        using var response = await _mock.GeminiAsync(Lite, Body, prefix: "/_knobs/latency_ms=soon");
        await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT", "Mock upstream: knob latency_ms needs a non-negative integer, got 'soon'.");
    }

    public static TheoryData<string> Fixtures() => Wire.RecordedStreams("gemini");

    [FixtureTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Sse_replay_reproduces_the_recording_byte_for_byte(string name)
    {
        using var response = await _mock.GeminiAsync(Lite, Body, Stream, "?alt=sse", $"/_knobs/fixture={name}");
        Assert.Equal(200, (int)response.StatusCode);
        byte[] expected = await File.ReadAllBytesAsync(Path.Combine(GeminiDir, name + ".sse"));
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [FixtureTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Json_array_replay_carries_the_same_chunks(string name)
    {
        using var response = await _mock.GeminiAsync(Lite, Body, Stream, prefix: $"/_knobs/fixture={name}");
        var array = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string recorded = await File.ReadAllTextAsync(Path.Combine(GeminiDir, name + ".sse"), Encoding.UTF8);
        var expected = ProviderWire.GeminiChunks(recorded);
        Assert.Equal(expected.Select(e => e.GetRawText()), array.EnumerateArray().Select(e => e.GetRawText()));
    }

    [FixtureFact]
    public async Task Non_stream_replay_folds_text_and_keeps_the_signature()
    {
        var r = await FoldedAsync("generate-stream-text-thinking");
        var part = ProviderWire.Parts(r)[0];
        Assert.Equal("There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y", part.GetProperty("text").GetString());
        Assert.StartsWith("EqsFCqgFAb4", part.GetProperty("thoughtSignature").GetString());
        Assert.Equal("STOP", r.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Equal(185, r.GetProperty("usageMetadata").GetProperty("thoughtsTokenCount").GetInt32());
        Assert.Equal("bH6LaZW8Fp_3nsEPqtaSwQ4", r.GetProperty("responseId").GetString());
    }

    [FixtureFact]
    public async Task Non_stream_replay_folds_a_function_call()
    {
        var r = await FoldedAsync("generate-stream-tool-call");
        var parts = ProviderWire.Parts(r);
        Assert.Single(parts.EnumerateArray());
        Assert.Equal("weather", parts[0].GetProperty("functionCall").GetProperty("name").GetString());
        Assert.StartsWith("EqUCCqIC", parts[0].GetProperty("thoughtSignature").GetString());
    }

    private async Task<JsonElement> FoldedAsync(string fixture)
    {
        using var response = await _mock.GeminiAsync(Lite, Body, prefix: $"/_knobs/fixture={fixture}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 200, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
