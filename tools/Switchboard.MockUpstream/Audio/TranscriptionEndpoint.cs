using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream.Audio;

/// <summary>
/// <c>POST /v1/audio/transcriptions</c> and <c>/translations</c> (and Azure's): a multipart form checked as strictly as
/// the API (known fields only, <c>file</c> and <c>model</c> required, valid formats per model), answered with a
/// deterministic transcript of the file in the asked format; <c>stream=true</c> (gpt-4o models, transcriptions only)
/// answers with <c>transcript.text.delta</c>/<c>transcript.text.done</c> events.
/// </summary>
internal static class TranscriptionEndpoint
{
    private static readonly HashSet<string> TranscriptionFields = ["file", "model", "language", "prompt", "response_format", "temperature",
        "timestamp_granularities[]", "include[]", "stream", "chunking_strategy"];
    private static readonly HashSet<string> TranslationFields = ["file", "model", "prompt", "response_format", "temperature"];
    private static readonly string[] Formats = ["json", "text", "srt", "verbose_json", "vtt"];
    private static readonly string[] AudioExtensions = ["flac", "mp3", "mp4", "mpeg", "mpga", "m4a", "ogg", "wav", "webm"];

    /// <summary>The mock's audio "plays" 16 000 bytes a second.</summary>
    private const double BytesPerSecond = 16_000;

    private sealed record Job(string Model, string FileName, long FileBytes, string Format, bool Stream, bool Translate)
    {
        public string Text => $"{(Translate ? "Translated" : "Transcribed")} {FileName}: {FileBytes} bytes of audio.";
        public double Seconds => Math.Max(1, Math.Round(FileBytes / BytesPerSecond, 1));
    }

    public static async Task HandleAsync(ApiRequest api, bool translate)
    {
        var (job, error) = await ReadAsync(api, translate);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, error);
            return;
        }
        HttpHelpers.AddOpenAIHeaders(api.Http);
        if (job!.Stream) await StreamAsync(api, job);
        else await AnswerAsync(api.Http, job);
    }

    private static async Task<(Job?, ApiError?)> ReadAsync(ApiRequest api, bool translate)
    {
        var (parts, formError) = await MultipartBody.ReadAsync(api, translate ? TranslationFields : TranscriptionFields);
        if (parts is null) return (null, formError);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? fileName = null;
        long fileBytes = 0;
        foreach (var part in parts)
        {
            if (part.Name == "file")
            {
                fileName = part.FileName;
                if (fileName is null) return (null, OpenAIErrors.Invalid("'file' must be a file upload, not a text field.", "file"));
                fileBytes = part.Bytes.Length;
            }
            else fields[part.Name] = part.Text;
        }
        if (fileName is null) return (null, OpenAIErrors.MissingRequired("file"));
        var model = api.AzureDeployment ?? (fields.TryGetValue("model", out var m) ? m : null);
        if (string.IsNullOrEmpty(model)) return (null, OpenAIErrors.MissingModel());
        var extension = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        if (Array.IndexOf(AudioExtensions, extension) < 0 || fileBytes == 0)
        {
            return (null, OpenAIErrors.Invalid($"Invalid file format. Supported formats: {OpenAIErrors.QuoteList(AudioExtensions)}", "file", "invalid_value"));
        }
        if (AudioModels.Check(model, AudioModelKind.Transcription, api.AzureDeployment) is { } modelError) return (null, modelError);
        var gpt4o = AudioModels.IsGpt4o(model);
        if (translate && gpt4o && !model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal))
        {
            return (null, OpenAIErrors.Invalid($"The model '{model}' does not support translations; use whisper-1.", "model"));
        }
        var format = fields.GetValueOrDefault("response_format", "json");
        if (Array.IndexOf(Formats, format) < 0) return (null, OpenAIErrors.InvalidValue("response_format", format, Formats));
        if (gpt4o && format is not ("json" or "text") && !model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal))
        {
            return (null, OpenAIErrors.Invalid($"response_format '{format}' is not compatible with model '{model}'. Use 'json' or 'text'.", "response_format"));
        }
        if (fields.TryGetValue("temperature", out var t) && (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var temperature) || temperature is < 0 or > 1))
        {
            return (null, OpenAIErrors.Invalid($"Invalid 'temperature': expected a number between 0 and 1, got '{t}'.", "temperature"));
        }
        var stream = false;
        if (fields.TryGetValue("stream", out var s))
        {
            if (s is not ("true" or "false")) return (null, OpenAIErrors.Invalid($"Invalid 'stream': expected a boolean, got '{s}'.", "stream"));
            stream = s == "true";
            if (stream && !gpt4o) return (null, OpenAIErrors.Invalid($"Streaming is not supported for the model '{model}'.", "stream"));
        }
        return (new Job(model, fileName, fileBytes, format, stream, translate), null);
    }

    private static Task AnswerAsync(HttpContext ctx, Job job)
    {
        switch (job.Format)
        {
            case "text":
                return Text(ctx, job.Text + "\n");
            case "srt":
                return Text(ctx, $"1\n00:00:00,000 --> {Stamp(job.Seconds, ',')}\n{job.Text}\n\n");
            case "vtt":
                return Text(ctx, $"WEBVTT\n\n00:00:00.000 --> {Stamp(job.Seconds, '.')}\n{job.Text}\n\n");
            case "verbose_json":
                return HttpHelpers.WriteJsonAsync(ctx, 200, job, (w, j) =>
                {
                    w.WriteStartObject();
                    w.WriteString("task"u8, j.Translate ? "translate" : "transcribe");
                    w.WriteString("language"u8, "english");
                    w.WriteNumber("duration"u8, j.Seconds);
                    w.WriteString("text"u8, j.Text);
                    w.WriteStartArray("segments"u8);
                    w.WriteStartObject();
                    w.WriteNumber("id"u8, 0);
                    w.WriteNumber("start"u8, 0.0);
                    w.WriteNumber("end"u8, j.Seconds);
                    w.WriteString("text"u8, j.Text);
                    w.WriteEndObject();
                    w.WriteEndArray();
                    WriteUsage(w, j);
                    w.WriteEndObject();
                });
            default:
                return HttpHelpers.WriteJsonAsync(ctx, 200, job, (w, j) =>
                {
                    w.WriteStartObject();
                    w.WriteString("text"u8, j.Text);
                    WriteUsage(w, j);
                    w.WriteEndObject();
                });
        }
        static async Task Text(HttpContext ctx, string body)
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync(body);
        }
    }

    /// <summary>whisper-1: seconds of audio; the gpt-4o models: tokens (audio in, text out).</summary>
    private static void WriteUsage(System.Text.Json.Utf8JsonWriter w, Job job)
    {
        w.WriteStartObject("usage"u8);
        if (AudioModels.IsGpt4o(job.Model))
        {
            var (input, output) = Tokens(job);
            w.WriteString("type"u8, "tokens");
            w.WriteNumber("input_tokens"u8, input);
            w.WriteStartObject("input_token_details"u8);
            w.WriteNumber("text_tokens"u8, 0);
            w.WriteNumber("audio_tokens"u8, input);
            w.WriteEndObject();
            w.WriteNumber("output_tokens"u8, output);
            w.WriteNumber("total_tokens"u8, input + output);
        }
        else
        {
            w.WriteString("type"u8, "duration");
            w.WriteNumber("seconds"u8, (long)Math.Ceiling(job.Seconds));
        }
        w.WriteEndObject();
    }

    private static (long Input, long Output) Tokens(Job job) => ((long)Math.Ceiling(job.Seconds * 10), job.Text.Split(' ').Length);

    private static async Task StreamAsync(ApiRequest api, Job job)
    {
        var ctx = api.Http;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream; charset=utf-8";
        try
        {
            var words = job.Text.Split(' ');
            for (var i = 0; i < words.Length; i++)
            {
                if (i > 0 && api.Knobs.ChunkDelayMs > 0) await Task.Delay(api.Knobs.ChunkDelayMs, ctx.RequestAborted);
                var delta = System.Text.Json.JsonSerializer.Serialize(i == 0 ? words[i] : " " + words[i]);
                await ctx.Response.WriteAsync($"data: {{\"type\":\"transcript.text.delta\",\"delta\":{delta}}}\n\n", ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
            var (input, output) = Tokens(job);
            await ctx.Response.WriteAsync("data: {\"type\":\"transcript.text.done\",\"text\":" + System.Text.Json.JsonSerializer.Serialize(job.Text)
                + ",\"usage\":{\"type\":\"tokens\",\"input_tokens\":" + input + ",\"output_tokens\":" + output + ",\"total_tokens\":" + (input + output) + "}}\n\n",
                ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Stamp(double seconds, char separator)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}{separator}{t.Milliseconds:000}";
    }
}
