using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>An API request that passed routing, knob parsing and authentication.</summary>
internal sealed record ApiRequest(HttpContext Http, MockState State, Knobs Knobs, byte[] Body, string? AzureDeployment);

/// <summary>An endpoint's body validator: the parsed request, or the API's refusal.</summary>
internal delegate ApiError? RequestValidator<T>(JsonElement root, string? azureDeployment, out T? request);

/// <summary>The JSON endpoints' common start: parse the body, validate it, answer the refusal or hand the request on.</summary>
internal static class ValidatedBody
{
    /// <summary>Runs <paramref name="answer"/> while the body's document (which the request's JsonElements point into) is alive.</summary>
    public static async Task HandleAsync<T>(ApiRequest api, RequestValidator<T> validate, Func<T, Task> answer)
        where T : class
    {
        var error = RequestBody.Parse(api.Http.Request, api.Body, out var doc);
        if (error is null)
        {
            using (doc)
            {
                error = validate(doc!.RootElement, api.AzureDeployment, out var request);
                if (error is null)
                {
                    await answer(request!);
                    return;
                }
            }
        }
        await HttpHelpers.WriteErrorAsync(api.Http, error);
    }
}

/// <summary><c>POST /v1/chat/completions</c> and its Azure twin: validate, then answer, replay a fixture, or stream.</summary>
internal static class ChatCompletionsEndpoint
{
    public static Task HandleAsync(ApiRequest api) =>
        ValidatedBody.HandleAsync<ChatRequest>(api, ChatRequestValidator.Validate, request => AnswerAsync(api, request));

    private static async Task AnswerAsync(ApiRequest api, ChatRequest request)
    {
        if (api.Knobs.Fixture is { } fixture)
        {
            await ReplayAsync(api, fixture, request.Stream);
            return;
        }
        var result = ResponseGenerator.Generate(request, api.Knobs);
        HttpHelpers.AddOpenAIHeaders(api.Http);
        if (!request.Stream)
        {
            await HttpHelpers.WriteJsonAsync(api.Http, 200, result, ChatJsonWriter.WriteCompletion);
            return;
        }
        await StreamAsync(api, result);
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
