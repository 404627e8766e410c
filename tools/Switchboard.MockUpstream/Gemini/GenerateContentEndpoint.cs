using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>
/// <c>POST /v1beta/models/{model}:generateContent</c> and <c>:streamGenerateContent</c>. The stream is SSE with
/// <c>?alt=sse</c> (<c>data: {chunk}\r\n\r\n</c>, no [DONE]); without it, like the API, one JSON array whose
/// elements are written as they are produced.
/// </summary>
internal static class GenerateContentEndpoint
{
    public static async Task HandleAsync(ApiRequest api, string model, bool stream)
    {
        if (!stream && GeminiImageEndpoint.IsImageModel(model))
        {
            await GeminiImageEndpoint.GenerateAsync(api, model);
            return;
        }
        var ctx = api.Http;
        var error = ParseBody(api.Body, out var doc);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(ctx, error);
            return;
        }
        using (doc)
        {
            error = GeminiValidator.Validate(doc!.RootElement, model, stream, out var req);
            if (error is not null)
            {
                await HttpHelpers.WriteErrorAsync(ctx, error);
                return;
            }
            bool sse = string.Equals(ctx.Request.Query["alt"].ToString(), "sse", StringComparison.OrdinalIgnoreCase);
            if (api.Knobs.Fixture is { } fixture)
            {
                await ReplayAsync(api, fixture, stream, sse);
                return;
            }
            var result = GeminiGenerator.Generate(req!, api.Knobs);
            GeminiErrors.AddHeaders(ctx);
            if (!stream)
            {
                await HttpHelpers.WriteJsonAsync(ctx, 200, result, GeminiWriter.WriteResponse, GeminiErrors.JsonContentType);
                return;
            }
            var chunks = GeminiWriter.PlanStream(result);
            await StreamAsync(api, sse, chunks.Count, (w, i) => GeminiWriter.WriteChunk(w, result, chunks[i]));
        }
    }

    /// <summary>A JSON object body, or the transcoder's 400 (<c>Invalid JSON payload received. …</c>).</summary>
    private static ApiError? ParseBody(byte[] body, out JsonDocument? doc)
    {
        doc = null;
        string? problem = null;
        try
        {
            doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "Invalid JSON payload received. Expected an object.";
            }
        }
        catch (JsonException)
        {
            problem = "Invalid JSON payload received. Unexpected token.";
        }
        if (problem is null)
        {
            return null;
        }
        doc?.Dispose();
        doc = null;
        return GeminiErrors.InvalidArgument(problem, GeminiErrors.BadRequest([(null, problem)]));
    }

    private static async Task StreamAsync(ApiRequest api, bool sse, int count, Action<Utf8JsonWriter, int> write)
    {
        using var stream = SseStream.Create(api.Http, api.Knobs, api.State, sse ? SseFraming.Gemini : SseFraming.GeminiJsonArray);
        await StreamGuard.RunAsync(stream, async () =>
        {
            await stream.SendHeadersAsync();
            for (int i = 0; i < count; i++)
            {
                if (!await stream.BeforeEventAsync())
                {
                    return;
                }
                if (sse)
                {
                    write(stream.BeginData(), i);
                    if (!await stream.EndDataAsync())
                    {
                        return;
                    }
                }
                else
                {
                    write(stream.BeginFrame(i == 0 ? "["u8 : ",\r\n"u8), i);
                    if (!await stream.EndFrameAsync(i == count - 1 ? "]"u8 : default))
                    {
                        return;
                    }
                }
            }
            stream.Finish();
        });
    }

    private static async Task ReplayAsync(ApiRequest api, string fixture, bool stream, bool sse)
    {
        var error = FixtureReplayer.TryLoad(api.State, "gemini", fixture, out var frames);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, GeminiErrors.Error(500, "INTERNAL", error.Message));
            return;
        }
        GeminiErrors.AddHeaders(api.Http);
        if (!stream)
        {
            var folded = GeminiFixtures.Fold(frames);
            await HttpHelpers.WriteJsonAsync(api.Http, 200, folded, static (w, m) => m.WriteTo(w), GeminiErrors.JsonContentType);
            return;
        }
        if (sse)
        {
            using var replay = SseStream.Create(api.Http, api.Knobs, api.State, SseFraming.Gemini);
            await StreamGuard.RunAsync(replay, async () =>
            {
                await replay.SendHeadersAsync();
                await FixtureReplayer.StreamAsync(replay, frames);
            });
            return;
        }
        var payloads = GeminiFixtures.Payloads(frames).ToList();
        await StreamAsync(api, sse: false, payloads.Count, (w, i) => w.WriteRawValue(Encoding.UTF8.GetBytes(payloads[i])));
    }
}
