using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Dialects;
using Switchboard.Pipeline;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The Gemini client dialect (Gemini CLI, the Google Gen AI SDKs): <c>:generateContent</c>,
/// <c>:streamGenerateContent</c> (SSE with <c>?alt=sse</c>, else one JSON array) and <c>:countTokens</c> under
/// <c>/v1beta/models/{model}</c> and <c>/v1/models/{model}</c>; the key in <c>x-goog-api-key</c> or <c>?key=</c>.
/// </summary>
public static class GeminiDialectRegistration
{
    /// <summary>The API versions Google's clients put before <c>/models</c> (the SDKs' default and the stable one).</summary>
    private static readonly string[] Versions = ["/v1beta", "/v1"];

    public static readonly ProxyOperation Generate = Operation("generateContent", GeminiClientDialect.Generate);
    public static readonly ProxyOperation StreamSse = Operation("streamGenerateContent", GeminiClientDialect.StreamSse);
    public static readonly ProxyOperation StreamJsonArray = Operation("streamGenerateContent", GeminiClientDialect.StreamJsonArray);

    public static ClientDialectRegistration Registration { get; } = new()
    {
        Dialect = GeminiClientDialect.Generate,
        Routes =
        [
            new ClientRoute("/models/{model}:generateContent", Endpoint: services => Proxy(services, _ => Generate)) { Prefixes = Versions },
            new ClientRoute("/models/{model}:streamGenerateContent", Endpoint: services => Proxy(services, PickStream)) { Prefixes = Versions },
            new ClientRoute("/models/{model}:countTokens", Endpoint: services => services.GetRequiredService<GeminiCountTokensHandler>().HandleAsync) { Prefixes = Versions },
        ],
        // Every path under /v1beta, and the methods under /v1/models, so Gemini CLI reports the real problem.
        ErrorPathMarker = "/v1beta/",
        ErrorPathMarkers = [":generateContent", ":streamGenerateContent", ":countTokens"],
        // x-goog-api-key is already read for every dialect (the OpenAI registration lists it); ?key= is read last.
        DoubledV1Fix = "remove the /v1 from your base URL (GOOGLE_GEMINI_BASE_URL is the gateway's address without a path, e.g. http://127.0.0.1:4000)",
        BaseUrlAdvice = "without a path (Google's clients add /v1beta themselves).",
    };

    /// <summary><c>?alt=sse</c>: server-sent events (what the SDKs and Gemini CLI ask for); otherwise Gemini's JSON-array stream.</summary>
    private static ProxyOperation PickStream(HttpContext context) =>
        string.Equals(context.Request.Query["alt"].ToString(), "sse", StringComparison.OrdinalIgnoreCase) ? StreamSse : StreamJsonArray;

    private static RequestDelegate Proxy(IServiceProvider services, Func<HttpContext, ProxyOperation> pick)
    {
        var proxy = services.GetRequiredService<GatewayProxy>();
        return context => proxy.HandleAsync(context, pick(context));
    }

    private static ProxyOperation Operation(string name, GeminiClientDialect dialect) =>
        new(name, OpenAIRequestHead.Kind.Chat, dialect, null) { ReadHead = (context, body) => GeminiRequestHead.Read(context, body, dialect.IsStream) };
}
