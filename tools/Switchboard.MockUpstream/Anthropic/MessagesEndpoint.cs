using System.Text.Json;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary><c>POST /v1/messages</c> and <c>/v1/messages/count_tokens</c>: validate, then answer, replay a fixture, or stream.</summary>
internal static class MessagesEndpoint
{
    public static async Task HandleAsync(ApiRequest api, bool countTokens)
    {
        var ctx = api.Http;
        var error = ParseBody(ctx.Request.ContentType, api.Body, out var doc);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(ctx, error);
            return;
        }
        using (doc)
        {
            error = MessagesValidator.Validate(doc!.RootElement, countTokens, ctx.Request.Headers["anthropic-beta"].ToString(), out var req);
            if (error is not null)
            {
                await HttpHelpers.WriteErrorAsync(ctx, error);
                return;
            }
            if (countTokens)
            {
                AnthropicErrors.AddHeaders(ctx);
                await HttpHelpers.WriteJsonAsync(ctx, 200, MessagesGenerator.CountTokens(req!, out _, out _), MessagesWriter.WriteCount);
                return;
            }
            if (api.Knobs.Fixture is { } fixture)
            {
                await ReplayAsync(api, fixture, req!.Stream);
                return;
            }
            var result = MessagesGenerator.Generate(req!, api.Knobs, api.State);
            AnthropicErrors.AddHeaders(ctx);
            if (!req!.Stream)
            {
                await HttpHelpers.WriteJsonAsync(ctx, 200, result, MessagesWriter.WriteMessage);
                return;
            }
            await StreamAsync(api, MessagesWriter.PlanStream(result));
        }
    }

    /// <summary>A JSON object body; a non-JSON content type or unparsable body is the API's invalid_request_error.</summary>
    private static ApiError? ParseBody(string? contentType, byte[] body, out JsonDocument? doc)
    {
        doc = null;
        if (!string.IsNullOrEmpty(contentType) && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return AnthropicErrors.Invalid($"Unsupported Content-Type '{contentType}': the request body must be JSON (application/json)");
        }
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return AnthropicErrors.Invalid("There was an error parsing the body of your request: " + e.Message.Split(" Path:")[0]);
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            doc = null;
            return AnthropicErrors.Invalid("Input should be a valid dictionary or object to extract fields from");
        }
        return null;
    }

    private static async Task ReplayAsync(ApiRequest api, string fixture, bool stream)
    {
        var error = FixtureReplayer.TryLoad(api.State, "anthropic", fixture, out var frames);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, AnthropicErrors.Error(500, "api_error", error.Message));
            return;
        }
        AnthropicErrors.AddHeaders(api.Http);
        if (!stream)
        {
            var message = AnthropicFixtures.Fold(frames);
            await HttpHelpers.WriteJsonAsync(api.Http, 200, message, static (w, m) => m.WriteTo(w));
            return;
        }
        using var sse = SseStream.Create(api.Http, api.Knobs, api.State, SseFraming.Anthropic);
        await StreamGuard.RunAsync(sse, async () =>
        {
            await sse.SendHeadersAsync();
            await FixtureReplayer.StreamAsync(sse, frames);
        });
    }

    private static async Task StreamAsync(ApiRequest api, List<StreamEvent> events)
    {
        using var sse = SseStream.Create(api.Http, api.Knobs, api.State, SseFraming.Anthropic);
        await StreamGuard.RunAsync(sse, async () =>
        {
            await sse.SendHeadersAsync();
            foreach (var e in events)
            {
                if (!await sse.BeforeEventAsync())
                {
                    return;
                }
                e.Write(sse.BeginEvent(e.Name));
                if (!await sse.EndDataAsync())
                {
                    return;
                }
            }
            sse.Finish();
        });
    }
}
