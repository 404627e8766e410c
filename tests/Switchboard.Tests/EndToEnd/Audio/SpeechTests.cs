using System.ClientModel;
using OpenAI.Audio;

namespace Switchboard.Tests.EndToEnd.Audio;

/// <summary><c>POST /v1/audio/speech</c> through the gateway: the upstream's audio relayed as it comes, billed by characters.</summary>
public sealed class SpeechTests(MockUpstreamFixture mock) : AudioTestBase(mock)
{
    private const string SpeechRequest = """{"model":"tts-1","input":"Hello from the gateway","voice":"alloy"}""";

    /// <summary>What the mock itself answers to <see cref="SpeechRequest"/>: the bytes the client must get unchanged.</summary>
    private async Task<byte[]> UpstreamAudioAsync()
    {
        using var direct = new HttpClient { BaseAddress = new Uri(Mock.BaseUrl) };
        direct.DefaultRequestHeaders.Authorization = new("Bearer", MockUpstreamFixture.ProviderKey);
        var response = await direct.PostAsync("/v1/audio/speech", Json(SpeechRequest));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task The_dotnet_sdk_gets_the_upstream_audio_and_the_ledger_bills_its_characters()
    {
        var client = new AudioClient("tts", new ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());

        var result = await client.GenerateSpeechAsync("Hello from the gateway", GeneratedSpeechVoice.Alloy);

        Assert.Equal(await UpstreamAudioAsync(), result.Value.ToArray());
        var sent = JsonDocument.Parse((await Mock.RequestsAsync()).Last(r => r.GetProperty("path").GetString() == "/v1/audio/speech"
            && r.GetProperty("body").GetString()!.Contains("gateway")).GetProperty("body").GetString()!).RootElement;
        Assert.Equal("tts-1", sent.GetProperty("model").GetString());
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id));
        var record = await Gateway.RecordOfAsync(id!);
        Assert.Equal(("audio.speech", "tts", "tts-1", 200), (record.Endpoint, record.Model, record.UpstreamModel, record.Status));
        // 22 characters at tts-1's list price, $15 per million characters.
        Assert.Equal(22 * 15m / 1_000_000m, record.CostUsd);
        Assert.False(record.CostEstimated);
    }

    [Fact]
    public async Task Speech_audio_reaches_the_client_while_the_upstream_is_still_sending_it()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech") { Content = Json(SpeechRequest.Replace("tts-1", "held-tts")) };
        // Guards a deadlock only (a gateway that buffered would wait forever for the gated upstream), not a speed.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStreamAsync(guard.Token);

        // The mock sent its first chunk and now waits at the gate: those bytes must already be here.
        var first = new byte[3];
        await body.ReadExactlyAsync(first, guard.Token);
        Assert.Equal("ID3"u8.ToArray(), first);

        await Mock.Control.PostAsync($"/_mock/release/{Gate}", null);
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest, guard.Token);
        byte[] whole = [.. first, .. rest.ToArray()];
        Assert.Equal(await UpstreamAudioAsync(), whole);
    }

    [Fact]
    public async Task Sse_speech_events_are_relayed_and_their_token_usage_is_billed_with_the_characters()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/speech",
            Json("""{"model":"tts-gpt","input":"Four score and seven","voice":"coral","stream_format":"sse"}"""));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        Assert.Equal(["speech.audio.delta", "speech.audio.delta", "speech.audio.delta", "speech.audio.delta", "speech.audio.done"],
            events.Select(e => e.GetProperty("type").GetString()));
        var usage = events[^1].GetProperty("usage");
        var record = await Gateway.RecordOfAsync(RequestId(response));
        Assert.Equal(usage.GetProperty("input_tokens").GetInt64(), record.Usage.PromptTokens);
        Assert.Equal(usage.GetProperty("output_tokens").GetInt64(), record.Usage.CompletionTokens);
        var tokens = (record.Usage.PromptTokens * 0.6m + record.Usage.CompletionTokens * 12m) / 1_000_000m;
        Assert.Equal(tokens + 20 * 2m / 1_000_000m, record.CostUsd);
    }

    [Fact]
    public async Task The_upstreams_refusal_of_an_unknown_voice_reaches_the_client_in_openai_shape()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/speech", Json("""{"model":"tts","input":"hi","voice":"robot"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("voice", (await ErrorOf(response)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Speech_without_input_is_refused_by_the_gateway()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/speech", Json("""{"model":"tts","voice":"alloy"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", (await ErrorOf(response)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_model_without_an_openai_wire_deployment_cannot_serve_speech()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/speech", Json("""{"model":"claude-audio","input":"hi","voice":"alloy"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("unsupported_operation", error.GetProperty("code").GetString());
        Assert.Contains("cannot serve audio.speech", error.GetProperty("message").GetString());
    }
}
