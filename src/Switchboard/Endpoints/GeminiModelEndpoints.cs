using System.Text.Json;
using Switchboard.Auth;
using Switchboard.Providers.Gemini;
using Switchboard.Routing;

namespace Switchboard.Endpoints;

/// <summary>
/// <c>GET /v1beta/models</c> and <c>/v1beta/models/{model}</c> in Google's shape (<c>{"models":[{"name":"models/x",...}]}</c>):
/// the models the key may use, for Gemini CLI and the Google Gen AI SDKs. Errors in Google's shape.
/// </summary>
public static class GeminiModelEndpoints
{
    private static readonly string[] Methods = ["generateContent", "streamGenerateContent", "countTokens"];

    public static void MapGeminiModelEndpoints(this WebApplication app)
    {
        app.MapGet("/v1beta/models", ListAsync);
        app.MapGet("/v1beta/models/{model}", GetAsync);
    }

    /// <summary>
    /// A Google client on <c>GET /v1/models</c> (the current @google/genai SDK's default version), told from an OpenAI
    /// one by its key header or its <c>x-goog-api-client</c>, or a GET on a Gemini method's path, is answered here
    /// rather than in OpenAI's shape.
    /// </summary>
    public static bool IsGoogleClient(HttpRequest request) =>
        request.Headers.ContainsKey("x-goog-api-client") || (request.Headers.ContainsKey("x-goog-api-key") && !request.Headers.ContainsKey("authorization"))
        || Dialects.ClientDialects.ForErrorsOn(request.Path.Value ?? "")?.Dialect is GeminiClientDialect;

    public static async Task ListAsync(HttpContext context, RuntimeHolder runtimes, TimeProvider time)
    {
        var runtime = runtimes.Current;
        if (await AuthenticateAsync(context, runtime, time) is not { } identity) return;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteStartArray("models"u8);
        foreach (var model in runtime.OrderedModels)
        {
            if (!model.Hidden && identity.MayUse(model.Name)) Write(json, model.Name, model.OwnedBy);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static async Task GetAsync(HttpContext context, RuntimeHolder runtimes, TimeProvider time)
    {
        var runtime = runtimes.Current;
        if (await AuthenticateAsync(context, runtime, time) is not { } identity) return;
        var name = GeminiRequestHead.ModelOf(context);
        if (!identity.MayUse(name) || !runtime.TryResolveModel(identity, name, out var model))
        {
            await GeminiClientDialect.Generate.WriteErrorAsync(context.Response, ModelNotFoundHint.For(runtime, identity, name));
            return;
        }
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        Write(json, name, model.OwnedBy);
    }

    /// <summary>The caller, or null with the 401 written in Google's shape.</summary>
    private static async Task<ClientIdentity?> AuthenticateAsync(HttpContext context, GatewayRuntime runtime, TimeProvider time)
    {
        var (identity, error) = await ClientAuthenticator.AuthenticateAsync(context.Request, runtime, time, context.RequestAborted);
        if (identity is null) await GeminiClientDialect.Generate.WriteErrorAsync(context.Response, error!);
        return identity;
    }

    private static void Write(Utf8JsonWriter json, string name, string ownedBy)
    {
        json.WriteStartObject();
        json.WriteString("name"u8, "models/" + name);
        json.WriteString("baseModelId"u8, name);
        json.WriteString("displayName"u8, name);
        json.WriteString("description"u8, $"{name} through the Switchboard gateway ({ownedBy})");
        json.WriteStartArray("supportedGenerationMethods"u8);
        foreach (var method in Methods) json.WriteStringValue(method);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
