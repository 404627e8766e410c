using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Pipeline;
using Switchboard.Usage;

namespace Switchboard.Endpoints;

/// <summary>The client-facing routes (each with and without <c>/v1</c>), health, admin, and OpenAI-style 404/405s.</summary>
public static class GatewayEndpoints
{
    // Models are config data, not time-stamped objects; a fixed "created" keeps listings stable across restarts.
    private const long ModelCreated = 1_700_000_000;

    public static void MapGatewayEndpoints(this WebApplication app)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["/v1", ""])
        {
            app.MapPost(prefix + "/chat/completions", (HttpContext c, GatewayProxy p) => p.HandleAsync(c, ProxyOperation.ChatCompletions));
            app.MapPost(prefix + "/completions", (HttpContext c, GatewayProxy p) => p.HandleAsync(c, ProxyOperation.Completions));
            app.MapPost(prefix + "/embeddings", (HttpContext c, GatewayProxy p) => p.HandleAsync(c, ProxyOperation.Embeddings));
            app.MapPost(prefix + "/messages", (HttpContext c, GatewayProxy p) => p.HandleAsync(c, ProxyOperation.Messages));
            app.MapPost(prefix + "/messages/count_tokens", (HttpContext c, CountTokensHandler h) => h.HandleAsync(c));
            app.MapGet(prefix + "/models", ListModels);
            app.MapGet(prefix + "/models/{**id}", GetModel);
        }

        app.MapGet("/health/live", () => TypedResults.Json(new HealthStatus("ok"), GatewayJsonContext.Default.HealthStatus));
        app.MapGet("/health/ready", () => TypedResults.Json(new HealthStatus("ready"), GatewayJsonContext.Default.HealthStatus));
        app.MapGet("/admin/logs", AdminLogs);
        app.MapRoutingAdminEndpoints();

        // Anything else answers like the OpenAI API does, in its error shape, never an empty 404.
        app.MapFallback(context =>
        {
            var matchedMethodOnly = context.Request.Method is not ("GET" or "POST");
            return ErrorResponses.WriteOpenAIAsync(context.Response, matchedMethodOnly
                ? GatewayError.MethodNotAllowed($"Method {context.Request.Method} is not allowed on {context.Request.Path}.")
                : GatewayError.NotFound($"Unknown request URL: {context.Request.Method} {context.Request.Path}. Please check the URL for typos."));
        });
    }

    private static async Task ListModels(HttpContext context, RuntimeHolder runtimes, TimeProvider time)
    {
        var runtime = runtimes.Current;
        var (identity, error) = ClientAuthenticator.Authenticate(context.Request, runtime, time);
        if (identity is null)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, error!);
            return;
        }
        var models = new List<ModelObject>(runtime.OrderedModels.Length);
        foreach (var model in runtime.OrderedModels)
        {
            if (!model.Hidden && identity.MayUse(model.Name)) models.Add(new ModelObject(model.Name, "model", ModelCreated, model.OwnedBy));
        }
        await context.Response.WriteAsJsonAsync(new ModelList("list", models), GatewayJsonContext.Default.ModelList);
    }

    private static async Task GetModel(HttpContext context, string id, RuntimeHolder runtimes, TimeProvider time)
    {
        var runtime = runtimes.Current;
        var (identity, error) = ClientAuthenticator.Authenticate(context.Request, runtime, time);
        if (identity is null)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, error!);
            return;
        }
        if (!identity.MayUse(id) || !runtime.TryResolveModel(identity, id, out var model))
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, GatewayError.ModelNotFound(id));
            return;
        }
        await context.Response.WriteAsJsonAsync(new ModelObject(id, "model", ModelCreated, model.OwnedBy), GatewayJsonContext.Default.ModelObject);
    }

    private static async Task AdminLogs(HttpContext context, RuntimeHolder runtimes, RecentRequestLog log)
    {
        if (!ClientAuthenticator.IsMasterKey(context.Request, runtimes.Current))
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, GatewayError.InvalidApiKey(
                string.IsNullOrEmpty(runtimes.Current.Config.MasterKey)
                    ? "The admin API is disabled: set master_key in the config."
                    : "The admin API needs the master key."));
            return;
        }
        var limit = int.TryParse(context.Request.Query["limit"], out var n) ? Math.Clamp(n, 1, 1000) : 100;
        var keyName = context.Request.Query["key_name"].ToString();
        var model = context.Request.Query["model"].ToString();
        var status = int.TryParse(context.Request.Query["status"], out var s) ? s : (int?)null;
        var rows = new List<RequestLogEntry>();
        foreach (var r in log.Snapshot(1000))
        {
            if (rows.Count >= limit) break;
            if (keyName.Length > 0 && r.KeyName != keyName) continue;
            if (model.Length > 0 && r.Model != model) continue;
            if (status is { } wanted && r.Status != wanted) continue;
            rows.Add(new RequestLogEntry(r.RequestId, r.Timestamp, r.KeyName, r.Endpoint, r.Model, r.Provider, r.UpstreamModel,
                r.Status, r.ErrorCode, r.Stream, r.Usage.PromptTokens, r.Usage.CompletionTokens, r.Usage.CachedPromptTokens,
                r.Usage.ReasoningTokens, !r.UsageMissing, Math.Round(r.LatencyMs, 3),
                r.TimeToFirstTokenMs is { } t ? Math.Round(t, 3) : null, r.Attempts, r.AttemptLog));
        }
        await context.Response.WriteAsJsonAsync(new RequestLogPage(rows), GatewayJsonContext.Default.RequestLogPage);
    }
}
