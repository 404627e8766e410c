using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>An API request that passed routing, knob parsing and authentication.</summary>
internal sealed record ApiRequest(HttpContext Http, MockState State, Knobs Knobs, byte[] Body, string? AzureDeployment);

/// <summary><c>POST /v1/chat/completions</c> and its Azure twin: validate, then answer, replay a fixture, or stream.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(ApiRequest api)
    {
        var ctx = api.Http;
        var error = RequestBody.Parse(ctx.Request, api.Body, out var doc);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(ctx, error);
            return;
        }
        using (doc)
        {
            error = ChatRequestValidator.Validate(doc!.RootElement, api.AzureDeployment, out var request);
            if (error is not null)
            {
                await HttpHelpers.WriteErrorAsync(ctx, error);
                return;
            }
            if (api.Knobs.Fixture is { } fixture)
            {
                await ReplayAsync(api, fixture, request!.Stream);
                return;
            }
            // Generate while the document (which the request's JsonElements point into) is still alive.
            var result = ResponseGenerator.Generate(request!, api.Knobs);
            HttpHelpers.AddOpenAIHeaders(ctx);
            if (!request!.Stream)
            {
                await HttpHelpers.WriteJsonAsync(ctx, 200, result, ChatJsonWriter.WriteCompletion);
                return;
            }
            await StreamAsync(api, result);
        }
    }

    private static async Task ReplayAsync(ApiRequest api, string fixture, bool stream)
    {
        var error = FixtureReplayer.TryLoad(api.State, fixture, out var frames);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, error);
            return;
        }
        if (!stream)
        {
            await FixtureReplayer.WriteCompletionAsync(api.Http, frames);
            return;
        }
        HttpHelpers.AddOpenAIHeaders(api.Http);
        using var sse = SseStream.Create(api.Http, api.Knobs, api.State);
        await StreamGuard.RunAsync(sse, async () =>
        {
            await sse.SendHeadersAsync();
            await FixtureReplayer.StreamAsync(sse, frames);
        });
    }

    private static async Task StreamAsync(ApiRequest api, ChatResult result)
    {
        using var sse = SseStream.Create(api.Http, api.Knobs, api.State);
        await StreamGuard.RunAsync(sse, async () =>
        {
            await sse.SendHeadersAsync();
            foreach (var e in ChatJsonWriter.PlanStream(result))
            {
                if (!await sse.BeforeEventAsync())
                {
                    return;
                }
                ChatJsonWriter.WriteChunk(sse.BeginData(), result, e);
                if (!await sse.EndDataAsync())
                {
                    return;
                }
            }
            if (result.IncludeUsage)
            {
                if (!await sse.BeforeEventAsync())
                {
                    return;
                }
                ChatJsonWriter.WriteUsageChunk(sse.BeginData(), result);
                if (!await sse.EndDataAsync())
                {
                    return;
                }
            }
            if (await sse.WriteDoneAsync())
            {
                sse.Finish();
            }
        });
    }
}
