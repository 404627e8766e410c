using System.ClientModel;
using OpenAI.Audio;

namespace Switchboard.Tests.EndToEnd.Audio;

/// <summary>
/// <c>POST /v1/audio/transcriptions</c> and <c>/translations</c>: multipart uploads streamed through, every response
/// format relayed with its content type, streamed transcripts, per-second and token billing, the upload limit.
/// </summary>
public sealed class TranscriptionTests(MockUpstreamFixture mock) : AudioTestBase(mock)
{
    [Fact]
    public async Task The_dotnet_sdk_transcribes_a_file_and_the_ledger_bills_its_seconds()
    {
        var client = new AudioClient("whisper", new ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());
        using var file = new MemoryStream(AudioFile(48_000));

        var result = await client.TranscribeAudioAsync(file, "speech.mp3", new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose });

        Assert.Equal("Transcribed speech.mp3: 48000 bytes of audio.", result.Value.Text);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Value.Duration);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id));
        var record = await Gateway.RecordOfAsync(id!);
        Assert.Equal(("audio.transcriptions", "whisper", "whisper-1", 200), (record.Endpoint, record.Model, record.UpstreamModel, record.Status));
        // 3 s at whisper-1's list price, $0.006 a minute.
        Assert.Equal(3 * 0.0001m, record.CostUsd);
    }

    [Fact]
    public async Task The_model_after_the_file_is_found_and_replaced_by_the_upstream_id()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/transcriptions", Form("whisper", AudioFile(20_000), fileFirst: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Transcribed speech.mp3: 20000 bytes of audio.", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString());
        var sent = (await Mock.LastRequestAsync()).GetProperty("body").GetString()!;
        Assert.Contains("name=\"model\"\r\n\r\nwhisper-1\r\n", sent.Replace("name=model", "name=\"model\""));
    }

    [Theory]
    [InlineData("text", "Transcribed speech.mp3: 16000 bytes of audio.\n")]
    [InlineData("srt", "1\n00:00:00,000 --> 00:00:01,000\nTranscribed speech.mp3: 16000 bytes of audio.\n\n")]
    [InlineData("vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nTranscribed speech.mp3: 16000 bytes of audio.\n\n")]
    public async Task Text_formats_are_relayed_as_sent_with_their_content_type(string format, string expected)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/transcriptions", Form("whisper", AudioFile(16_000), fields: ("response_format", format)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Streamed_transcript_events_are_relayed_and_their_tokens_billed()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/transcriptions", Form("transcribe", AudioFile(32_000), fields: ("stream", "true")));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        Assert.All(events[..^1], e => Assert.Equal("transcript.text.delta", e.GetProperty("type").GetString()));
        Assert.Equal("Transcribed speech.mp3: 32000 bytes of audio.", string.Concat(events[..^1].Select(e => e.GetProperty("delta").GetString())));
        var done = events[^1];
        Assert.Equal("transcript.text.done", done.GetProperty("type").GetString());
        var record = await Gateway.RecordOfAsync(RequestId(response));
        Assert.True(record.Stream);
        Assert.Equal(done.GetProperty("usage").GetProperty("input_tokens").GetInt64(), record.Usage.PromptTokens);
        Assert.Equal(done.GetProperty("usage").GetProperty("output_tokens").GetInt64(), record.Usage.CompletionTokens);
        Assert.Equal((record.Usage.PromptTokens * 2.5m + record.Usage.CompletionTokens * 10m) / 1_000_000m, record.CostUsd);
    }

    [Fact]
    public async Task Azure_translations_go_to_the_deployment_path_and_bill_the_configured_seconds()
    {
        var client = new AudioClient("azure-whisper", new ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());
        using var file = new MemoryStream(AudioFile(40_000));

        var result = await client.TranslateAudioAsync(file, "speech.mp3");

        Assert.Equal("Translated speech.mp3: 40000 bytes of audio.", result.Value.Text);
        var sent = await Mock.LastRequestAsync();
        Assert.Equal("/openai/deployments/whisper-1/audio/translations", sent.GetProperty("path").GetString());
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id));
        var record = await Gateway.RecordOfAsync(id!);
        Assert.Equal("audio.translations", record.Endpoint);
        Assert.Equal(3 * 0.001m, record.CostUsd);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_a_413_in_openai_shape()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/transcriptions", Form("whisper", AudioFile(300 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Contains("server.max_upload_size", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(false, true, "model")]
    [InlineData(true, false, "file")]
    public async Task A_form_without_its_model_or_file_is_a_400_naming_it(bool withModel, bool withFile, string missing)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/audio/transcriptions", Form(withModel ? "whisper" : null, withFile ? AudioFile(1000) : null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(missing, (await ErrorOf(response)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_cut_off_multipart_body_is_a_400_not_a_500()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n\r\nabc"));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var response = await http.PostAsync("/v1/audio/transcriptions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("truncated", (await ErrorOf(response)).GetProperty("message").GetString());
    }

    /// <summary>A model with only an Anthropic deployment cannot transcribe; bob's key may use only <c>chat</c>.</summary>
    [Theory]
    [InlineData(TestConfigs.AliceKey, "claude-audio", HttpStatusCode.BadRequest, "unsupported_operation")]
    [InlineData(TestConfigs.BobKey, "whisper", HttpStatusCode.NotFound, "model_not_found")]
    public async Task Model_access_and_capability_are_checked_as_for_chat(string key, string model, HttpStatusCode status, string code)
    {
        using var http = Gateway.Client(key);
        var response = await http.PostAsync("/v1/audio/transcriptions", Form(model, AudioFile(1000)));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await ErrorOf(response)).GetProperty("code").GetString());
    }
}
