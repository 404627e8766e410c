using System.Net.Http.Headers;

namespace Switchboard.Tests.EndToEnd.Audio;

/// <summary>
/// The audio and moderation models on the mock: speech (tts-1, built-in price per character; gpt-4o-mini-tts with
/// token and character prices), transcription (whisper-1, built-in price per second; gpt-4o-transcribe with token
/// prices), the same on Azure, moderation, a Claude model (cannot serve audio) and a speech provider whose answer
/// waits at a gate after its first chunk. Uploads are limited to 256 KB.
/// </summary>
public abstract class AudioTestBase(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    /// <summary>The gate the <c>held-tts</c> provider's answers wait at after their first chunk.</summary>
    protected string Gate { get; } = "gate-" + Guid.NewGuid().ToString("N");

    protected override string ExtraTopLevel => "server: { max_upload_size: 256KB }";

    protected override string ExtraProviders => $$"""
          held: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/hold={{Gate}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          anthropic: { type: anthropic, base_url: "{{Mock.BaseUrl}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => """
          tts: [{ provider: mock, model: tts-1 }]
          tts-gpt: [{ provider: mock, model: gpt-4o-mini-tts, input_per_mtok: 0.6, output_per_mtok: 12, input_per_mchar: 2 }]
          held-tts: [{ provider: held, model: tts-1 }]
          whisper: [{ provider: mock, model: whisper-1 }]
          transcribe: [{ provider: mock, model: gpt-4o-transcribe, input_per_mtok: 2.5, output_per_mtok: 10 }]
          azure-whisper: [{ provider: azure, model: whisper-1, per_second: 0.001 }]
          moderation: [{ provider: mock, model: omni-moderation-latest }]
          claude-audio: [{ provider: anthropic, model: claude-sonnet-4-5 }]
        """;

    /// <summary>A deterministic "audio file" of <paramref name="bytes"/> bytes.</summary>
    protected static byte[] AudioFile(int bytes) => Enumerable.Range(0, bytes).Select(i => (byte)(i * 13 + 7)).ToArray();

    /// <summary>A multipart form as a browser or SDK sends it; <paramref name="fileFirst"/>: the file before the text fields (Node SDK order).</summary>
    protected static MultipartFormDataContent Form(string? model, byte[]? file, bool fileFirst = true, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        void AddFile()
        {
            if (file is null) return;
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("audio/mpeg");
            form.Add(content, "file", "speech.mp3");
        }
        if (fileFirst) AddFile();
        if (model is not null) form.Add(new StringContent(model), "model");
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        if (!fileFirst) AddFile();
        return form;
    }

    protected static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("x-request-id").Single();

    protected static async Task<JsonElement> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
}
