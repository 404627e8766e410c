using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.MockUpstream;

/// <summary>
/// A strict, deterministic stand-in for the OpenAI (and Azure OpenAI) API for end-to-end tests and benchmarks:
/// chat completions (plain and streamed), embeddings, image generations, models, per-request fault injection ("knobs") and a
/// small control API (<c>/_mock/requests</c>, <c>/_mock/stats</c>, <c>/_mock/reset</c>).
/// </summary>
public static class MockUpstreamServer
{
    private enum RouteKind
    {
        NotFound,
        ImageEdits,
        Chat,
        Responses,
        Embeddings,
        ListModels,
        RetrieveModel,
        AnthropicMessages,
        AnthropicCountTokens,
        GeminiGenerate,
        GeminiStream,
        GeminiPredict,
        Images,
        Speech,
        Transcriptions,
        Translations,
        Moderations,
    }

    // Versioned: an Azure path that needs ?api-version= (its v1 API, /openai/v1/..., does not).
    private readonly record struct Route(RouteKind Kind, bool Azure = false, string? Argument = null, bool Versioned = true)
    {
        public Dialect Dialect => Kind switch
        {
            RouteKind.AnthropicMessages or RouteKind.AnthropicCountTokens => Dialect.Anthropic,
            RouteKind.GeminiGenerate or RouteKind.GeminiStream or RouteKind.GeminiPredict => Dialect.Gemini,
            _ => Dialect.OpenAI,
        };
    }

    /// <summary>Builds (does not start) the mock listening on <paramref name="url"/>, e.g. <c>http://127.0.0.1:0</c>.</summary>
    /// <remarks>With port 0 the bound address is in <c>app.Urls</c> after <c>StartAsync</c>.</remarks>
    public static WebApplication Build(MockUpstreamOptions options, string url)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(url);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(MockUpstreamServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        // Inline scheduling: a flush hands the bytes to the socket before it returns. reset_after relies on it
        // (an abort must not discard events already "sent"), and it trims latency for benchmarks. The mock
        // never blocks, so running its code on IO threads is safe here.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        // Tests abort streams on purpose; per-connection noise below warnings would drown real failures.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var state = new MockState(options, FixtureLocator.Find(options.FixturesDir));
        var app = builder.Build();
        app.Run(ctx => DispatchAsync(ctx, state));
        return app;
    }

    private static async Task DispatchAsync(HttpContext ctx, MockState state)
    {
        string path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/_mock/", StringComparison.Ordinal))
        {
            await ControlAsync(ctx, state, path);
            return;
        }

        HttpHelpers.MarkStart(ctx);
        string? knobSpec = null;
        if (Knobs.TrySplitPath(path, out string spec, out string rest))
        {
            knobSpec = spec;
            path = rest;
        }
        byte[] body = await RequestBody.ReadAllAsync(ctx.Request, ctx.RequestAborted);
        var knobs = Knobs.Parse(knobSpec, ctx.Request.Headers, out string? knobError);
        state.OnRequest();
        state.Log.Add(RequestLog.Capture(ctx.Request, path, knobs.IsEmpty ? knobSpec : knobs.Key, Encoding.UTF8.GetString(body)));
        var route = Match(ctx.Request.Method, path);
        if (knobError is not null)
        {
            await HttpHelpers.WriteErrorAsync(ctx, route.Dialect switch
            {
                Dialect.Anthropic => Anthropic.AnthropicErrors.Invalid(knobError),
                Dialect.Gemini => Gemini.GeminiErrors.InvalidArgument(knobError),
                _ => OpenAIErrors.Invalid(knobError),
            });
            return;
        }

        if (knobs.LatencyMs > 0)
        {
            try
            {
                await Task.Delay(knobs.LatencyMs, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up before the headers: nothing to answer
            }
        }

        if (route.Kind == RouteKind.NotFound)
        {
            await HttpHelpers.WriteErrorAsync(ctx, OpenAIErrors.InvalidUrl(ctx.Request.Method, path));
            return;
        }

        var error = route.Dialect switch
        {
            Dialect.Anthropic => Anthropic.AnthropicErrors.CheckAuth(ctx.Request, state.Options.ApiKey),
            Dialect.Gemini => Gemini.GeminiErrors.CheckAuth(ctx.Request, state.Options.ApiKey),
            _ when route.Azure => Auth.CheckAzure(ctx.Request, state.Options.ApiKey, route.Versioned),
            _ => Auth.CheckOpenAI(ctx.Request, state.Options.ApiKey),
        };
        if (error is null && (knobs.Status is not null || knobs.FailFirst is not null || knobs.Error is not null))
        {
            string? model = route.Azure || route.Kind is RouteKind.RetrieveModel or RouteKind.GeminiGenerate or RouteKind.GeminiStream or RouteKind.GeminiPredict
                ? route.Argument
                : RequestBody.PeekModel(body);
            error = knobs.InjectedError(state, model, route.Dialect);
            if (error is not null && knobs.InvalidBody is { } page)
            {
                // A proxy in front of the API answering for it: the injected status with a body that is no error object.
                await HttpHelpers.WriteInvalidBodyAsync(ctx, page, error.Status);
                return;
            }
            if (error is not null) error = error with { Message = knobs.InjectedMessage(error.Message, ctx.Request) };
        }
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(ctx, error);
            return;
        }

        if (knobs.InvalidBody is { } invalid && route.Kind is RouteKind.Chat or RouteKind.Responses or RouteKind.Embeddings or RouteKind.AnthropicMessages
                or RouteKind.AnthropicCountTokens or RouteKind.GeminiGenerate && !RequestBody.PeekStream(body))
        {
            await HttpHelpers.WriteInvalidBodyAsync(ctx, invalid);
            return;
        }

        var api = new ApiRequest(ctx, state, knobs, body, route.Azure ? route.Argument : null);
        await (route.Kind switch
        {
            RouteKind.Chat => ChatCompletionsEndpoint.HandleAsync(api),
            RouteKind.Responses => Responses.ResponsesEndpoint.HandleAsync(api),
            RouteKind.Embeddings => EmbeddingsEndpoint.HandleAsync(api),
            RouteKind.Speech => Audio.SpeechEndpoint.HandleAsync(api),
            RouteKind.Transcriptions => Audio.TranscriptionEndpoint.HandleAsync(api, translate: false),
            RouteKind.Translations => Audio.TranscriptionEndpoint.HandleAsync(api, translate: true),
            RouteKind.Moderations => Audio.ModerationsEndpoint.HandleAsync(api),
            RouteKind.ListModels => ModelsEndpoint.ListAsync(ctx),
            RouteKind.AnthropicMessages => Anthropic.MessagesEndpoint.HandleAsync(api, countTokens: false),
            RouteKind.AnthropicCountTokens => Anthropic.MessagesEndpoint.HandleAsync(api, countTokens: true),
            RouteKind.GeminiGenerate => Gemini.GenerateContentEndpoint.HandleAsync(api, route.Argument!, stream: false),
            RouteKind.GeminiStream => Gemini.GenerateContentEndpoint.HandleAsync(api, route.Argument!, stream: true),
            RouteKind.GeminiPredict => Gemini.GeminiImageEndpoint.PredictAsync(api, route.Argument!),
            RouteKind.Images => Images.ImagesEndpoint.HandleAsync(api),
            RouteKind.ImageEdits => Images.ImageEditsEndpoint.HandleAsync(api),
            _ => ModelsEndpoint.RetrieveAsync(ctx, route.Argument!),
        });
    }

    /// <summary>The audio and moderation operations, by their path under the API root (OpenAI: <c>/v1</c>; Azure: the deployment).</summary>
    private static readonly Dictionary<string, RouteKind> AudioRoutes = new(StringComparer.Ordinal)
    {
        ["/audio/speech"] = RouteKind.Speech,
        ["/audio/transcriptions"] = RouteKind.Transcriptions,
        ["/audio/translations"] = RouteKind.Translations,
        ["/moderations"] = RouteKind.Moderations,
    };

    private static Route Match(string method, string path)
    {
        bool post = HttpMethods.IsPost(method);
        bool get = HttpMethods.IsGet(method);
        switch (path)
        {
            case "/v1/chat/completions" when post:
                return new(RouteKind.Chat);
            case "/v1/responses" when post:
                return new(RouteKind.Responses);
            case "/openai/responses" when post:
                return new(RouteKind.Responses, true); // Azure: the body's model names the deployment
            case "/openai/v1/responses" when post:
                return new(RouteKind.Responses, true, Versioned: false); // Azure's v1 API: no api-version
            case "/v1/embeddings" when post:
                return new(RouteKind.Embeddings);
            case "/v1/images/generations" when post:
                return new(RouteKind.Images);
            case "/v1/images/edits" when post:
                return new(RouteKind.ImageEdits);
            case "/v1/models" when get:
                return new(RouteKind.ListModels);
            case "/v1/messages" when post:
                return new(RouteKind.AnthropicMessages);
            case "/v1/messages/count_tokens" when post:
                return new(RouteKind.AnthropicCountTokens);
        }
        if (post && path.StartsWith("/v1/", StringComparison.Ordinal) && AudioRoutes.TryGetValue(path[3..], out var audio))
        {
            return new(audio);
        }
        const string geminiPrefix = "/v1beta/models/";
        if (post && path.StartsWith(geminiPrefix, StringComparison.Ordinal))
        {
            // The method follows a colon, which clients may send escaped (%3A).
            string rest = Uri.UnescapeDataString(path[geminiPrefix.Length..]);
            int colon = rest.LastIndexOf(':');
            if (colon > 0 && rest.IndexOf('/', StringComparison.Ordinal) < 0)
            {
                switch (rest.AsSpan(colon + 1))
                {
                    case "generateContent":
                        return new(RouteKind.GeminiGenerate, false, rest[..colon]);
                    case "streamGenerateContent":
                        return new(RouteKind.GeminiStream, false, rest[..colon]);
                    case "predict":
                        return new(RouteKind.GeminiPredict, false, rest[..colon]);
                }
            }
        }
        const string modelsPrefix = "/v1/models/";
        if (get && path.StartsWith(modelsPrefix, StringComparison.Ordinal) && path.Length > modelsPrefix.Length)
        {
            return new(RouteKind.RetrieveModel, false, Uri.UnescapeDataString(path[modelsPrefix.Length..]));
        }
        const string azurePrefix = "/openai/deployments/";
        if (post && path.StartsWith(azurePrefix, StringComparison.Ordinal))
        {
            int slash = path.IndexOf('/', azurePrefix.Length);
            if (slash > azurePrefix.Length)
            {
                string deployment = Uri.UnescapeDataString(path[azurePrefix.Length..slash]);
                switch (path.AsSpan(slash))
                {
                    case "/chat/completions":
                        return new(RouteKind.Chat, true, deployment);
                    case "/embeddings":
                        return new(RouteKind.Embeddings, true, deployment);
                    case "/images/generations":
                        return new(RouteKind.Images, true, deployment);
                    case "/images/edits":
                        return new(RouteKind.ImageEdits, true, deployment);
                }
                // Azure has no moderations API: /moderations is a 404 there, as on the real service.
                if (AudioRoutes.TryGetValue(path[slash..], out var azureAudio) && azureAudio != RouteKind.Moderations)
                {
                    return new(azureAudio, true, deployment);
                }
            }
        }
        return new(RouteKind.NotFound);
    }

    /// <summary>The unauthenticated control API; its own requests are neither logged nor counted.</summary>
    private static Task ControlAsync(HttpContext ctx, MockState state, string path)
    {
        string method = ctx.Request.Method;
        if (path == "/_mock/requests" && HttpMethods.IsGet(method))
        {
            return HttpHelpers.WriteJsonAsync(ctx, 200, state.Log.Snapshot(), RequestLog.WriteJson);
        }
        if (path == "/_mock/stats" && HttpMethods.IsGet(method))
        {
            return HttpHelpers.WriteJsonAsync(ctx, 200, state, static (w, s) => s.WriteStats(w));
        }
        if (path.StartsWith("/_mock/release/", StringComparison.Ordinal) && HttpMethods.IsPost(method))
        {
            state.Release(path["/_mock/release/".Length..]);
            return HttpHelpers.WriteJsonAsync(ctx, 200, state, static (w, s) => s.WriteStats(w));
        }
        if (path == "/_mock/reset" && HttpMethods.IsPost(method))
        {
            state.Reset();
            return HttpHelpers.WriteJsonAsync(ctx, 200, state, static (w, s) => s.WriteStats(w));
        }
        return HttpHelpers.WriteJsonAsync(ctx, 404, OpenAIErrors.InvalidUrl(method, path), OpenAIErrors.Write);
    }
}
