using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream.Audio;

/// <summary>
/// <c>POST /v1/audio/speech</c> (and Azure's): validated as strictly as the API, answered with deterministic audio bytes
/// in chunks (<c>chunk_delay_ms</c> apart; <c>hold</c> waits for a gate after the first), or with
/// <c>speech.audio.delta</c>/<c>speech.audio.done</c> events for <c>stream_format: "sse"</c> (gpt-4o-mini-tts only).
/// </summary>
internal static class SpeechEndpoint
{
    private static readonly FrozenSet<string> Known = FrozenSet.ToFrozenSet(["model", "input", "voice", "instructions", "response_format", "speed", "stream_format"]);
    private static readonly string[] Voices = ["alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse"];
    private static readonly string[] Formats = ["mp3", "opus", "aac", "flac", "wav", "pcm"];
    private static readonly string[] StreamFormats = ["audio", "sse"];
    public const int MaxInput = 4096;
    private const int Chunks = 4;

    private sealed record SpeechJob(string Model, string Input, string Format, bool Sse);

    public static Task HandleAsync(ApiRequest api) => ValidatedBody.HandleAsync<SpeechJob>(api, Validate, job => AnswerAsync(api, job));

    private static ApiError? Validate(JsonElement root, string? azureDeployment, out SpeechJob? job)
    {
        job = null;
        if (OpenAIErrors.CheckModelAndMembers(root, azureDeployment, Known, out var model) is { } error) return error;
        if (!JsonShape.TryGetNonNull(root, "input", out var input)) return OpenAIErrors.MissingRequired("input");
        if (input.ValueKind != JsonValueKind.String) return OpenAIErrors.InvalidType("input", "a string", input);
        var text = input.GetString()!;
        if (text.Length > MaxInput) return OpenAIErrors.Invalid($"'input' is too long: at most {MaxInput} characters.", "input", "string_above_max_length");
        if (!JsonShape.TryGetNonNull(root, "voice", out var voice)) return OpenAIErrors.MissingRequired("voice");
        if (voice.ValueKind != JsonValueKind.String) return OpenAIErrors.InvalidType("voice", "a string", voice);
        if (Array.IndexOf(Voices, voice.GetString()) < 0) return OpenAIErrors.InvalidValue("voice", voice.GetString()!, Voices);
        var format = "mp3";
        if (JsonShape.TryGetNonNull(root, "response_format", out var f))
        {
            if (f.ValueKind != JsonValueKind.String || Array.IndexOf(Formats, f.GetString()) < 0) return OpenAIErrors.InvalidValue("response_format", OpenAIErrors.Describe(f), Formats);
            format = f.GetString()!;
        }
        if (JsonShape.TryGetNonNull(root, "speed", out var speed))
        {
            if (speed.ValueKind != JsonValueKind.Number) return OpenAIErrors.InvalidType("speed", "a number", speed);
            var s = speed.GetDouble();
            if (s < 0.25) return OpenAIErrors.BelowMin("speed", false, "0.25", speed.GetRawText());
            if (s > 4) return OpenAIErrors.AboveMax("speed", false, "4.0", speed.GetRawText());
        }
        if (AudioModels.Check(model, AudioModelKind.Speech, azureDeployment) is { } modelError) return modelError;
        if (JsonShape.TryGetNonNull(root, "instructions", out _) && !AudioModels.IsGpt4o(model))
        {
            return OpenAIErrors.Invalid($"'instructions' is not supported with the model '{model}'.", "instructions");
        }
        var sse = false;
        if (JsonShape.TryGetNonNull(root, "stream_format", out var sf))
        {
            if (sf.ValueKind != JsonValueKind.String || Array.IndexOf(StreamFormats, sf.GetString()) < 0) return OpenAIErrors.InvalidValue("stream_format", OpenAIErrors.Describe(sf), StreamFormats);
            sse = sf.GetString() == "sse";
            if (sse && !AudioModels.IsGpt4o(model)) return OpenAIErrors.Invalid($"stream_format 'sse' is not supported for the model '{model}'.", "stream_format");
        }
        job = new SpeechJob(model, text, format, sse);
        return null;
    }

    /// <summary>Deterministic audio: the same input always "sounds" the same, each chunk a quarter of it.</summary>
    public static byte[] AudioFor(string input, int chunk)
    {
        var bytes = new byte[1024 + input.Length * 16];
        var seed = (byte)(input.Length + chunk);
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(seed + i * 7 + (i < input.Length ? input[i] : 0));
        if (chunk == 0) "ID3"u8.CopyTo(bytes);
        return bytes;
    }

    private static async Task AnswerAsync(ApiRequest api, SpeechJob job)
    {
        var ctx = api.Http;
        HttpHelpers.AddOpenAIHeaders(ctx);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = job.Sse ? "text/event-stream; charset=utf-8" : ContentType(job.Format);
        try
        {
            for (var chunk = 0; chunk < Chunks; chunk++)
            {
                if (chunk > 0 && api.Knobs.ChunkDelayMs > 0) await Task.Delay(api.Knobs.ChunkDelayMs, ctx.RequestAborted);
                if (chunk == 1 && api.Knobs.Hold is { } gate) await api.State.Gate(gate).WaitAsync(ctx.RequestAborted);
                var audio = AudioFor(job.Input, chunk);
                if (job.Sse)
                {
                    await ctx.Response.WriteAsync($"data: {{\"type\":\"speech.audio.delta\",\"audio\":\"{Convert.ToBase64String(audio)}\"}}\n\n", ctx.RequestAborted);
                }
                else
                {
                    await ctx.Response.Body.WriteAsync(audio, ctx.RequestAborted);
                }
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
            if (job.Sse)
            {
                var inputTokens = Math.Max(1, job.Input.Length / 4);
                var outputTokens = Chunks * 50;
                await ctx.Response.WriteAsync("data: {\"type\":\"speech.audio.done\",\"usage\":{\"input_tokens\":" + inputTokens + ",\"output_tokens\":" + outputTokens
                    + ",\"total_tokens\":" + (inputTokens + outputTokens) + "}}\n\n", ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left mid-answer.
        }
    }

    private static string ContentType(string format) => format switch
    {
        "opus" => "audio/opus",
        "aac" => "audio/aac",
        "flac" => "audio/flac",
        "wav" => "audio/wav",
        "pcm" => "audio/pcm",
        _ => "audio/mpeg",
    };
}
