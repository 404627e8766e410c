namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// <c>POST /v1/responses</c> (and Azure's <c>/openai/responses?api-version=…</c>, where the body's model names the
/// deployment): validate as strictly as the API, then answer, stream, or replay a recorded stream (<c>fixture=NAME</c>).
/// </summary>
internal static class ResponsesEndpoint
{
    public static Task HandleAsync(ApiRequest api) =>
        ValidatedBody.HandleAsync<ResponsesRequest>(api, ResponsesValidator.Validate, request => AnswerAsync(api, request));

    private static async Task AnswerAsync(ApiRequest api, ResponsesRequest request)
    {
        if (api.Knobs.Fixture is { } fixture)
        {
            await ReplayAsync(api, fixture, request);
            return;
        }
        var answer = new ResponsesAnswer(request, ResponseGenerator.Generate(request.Chat, api.Knobs));
        HttpHelpers.AddOpenAIHeaders(api.Http);
        if (!request.Stream)
        {
            // In the background the API answers at once with the queued response, to be polled for the rest.
            await HttpHelpers.WriteJsonAsync(api.Http, 200, answer, static (w, a) => ResponsesWriter.WriteResponse(w, a, final: !a.Request.Background));
            return;
        }
        using var sse = SseStream.Create(api.Http, api.Knobs, api.State, SseFraming.Responses);
        await StreamGuard.RunAsync(sse, async () =>
        {
            await sse.SendHeadersAsync();
            await new ResponsesStream(sse, answer).RunAsync();
        });
    }

    private static async Task ReplayAsync(ApiRequest api, string fixture, ResponsesRequest request)
    {
        string name = fixture.EndsWith(".chunks.txt", StringComparison.Ordinal) ? fixture[..^".chunks.txt".Length] : fixture;
        var error = ResponsesFixtures.TryLoad(api.State, name, request.ToolOutputs, out var lines);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, error);
            return;
        }
        if (!request.Stream)
        {
            await ResponsesFixtures.WriteResponseAsync(api, lines);
            return;
        }
        HttpHelpers.AddOpenAIHeaders(api.Http);
        using var sse = SseStream.Create(api.Http, api.Knobs, api.State, SseFraming.Responses);
        await StreamGuard.RunAsync(sse, async () =>
        {
            await sse.SendHeadersAsync();
            await ResponsesFixtures.StreamAsync(sse, lines);
        });
    }
}
