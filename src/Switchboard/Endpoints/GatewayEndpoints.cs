using Switchboard.Admin;
using Switchboard.Auth;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Pipeline;
using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;
using Switchboard.Storage;
using Switchboard.Usage;

namespace Switchboard.Endpoints;

/// <summary>The client-facing routes (each with and without <c>/v1</c>), health, admin, with 404/405s shaped by RequestIdMiddleware.</summary>
public static class GatewayEndpoints
{
    // Models are config data, not time-stamped objects; a fixed "created" keeps listings stable across restarts.
    private const long ModelCreated = 1_700_000_000;

    public static void MapGatewayEndpoints(this WebApplication app)
    {
        // The generation handlers are singletons, taken once here: a handler parameter resolved per request made ASP.NET
        // Core create (and later dispose) a request service scope for every call (≈ 280 bytes and its bookkeeping).
        var proxy = app.Services.GetRequiredService<GatewayProxy>();
        foreach (var prefix in (ReadOnlySpan<string>)["/v1", ""])
        {
            foreach (var dialect in ClientDialects.All)
            {
                foreach (var route in dialect.Routes)
                {
                    if (route.Prefixes is not null) continue;
                    if (route.Operation is not { } operation)
                    {
                        app.MapPost(prefix + route.Path, route.Endpoint!(app.Services));
                        continue;
                    }
                    var hook = operation.Hook?.Invoke(app.Services);
                    app.MapPost(prefix + route.Path, hook is null ? c => proxy.HandleAsync(c, operation) : c => proxy.HandleAsync(c, operation, hook));
                }
            }
            app.MapGet(prefix + "/models", ListModels);
            app.MapGet(prefix + "/models/{**id}", GetModel);
        }

        foreach (var dialect in ClientDialects.All)
        {
            foreach (var route in dialect.Routes)
            {
                foreach (var prefix in route.Prefixes ?? []) app.MapPost(prefix + route.Path, route.Endpoint!(app.Services));
            }
        }
        app.MapGeminiModelEndpoints();
        app.MapStoredResponseEndpoints();
        app.MapGet("/health/live", () => TypedResults.Json(new HealthStatus("ok"), GatewayJsonContext.Default.HealthStatus));
        app.MapGet("/health/ready", Ready);
        app.MapGet("/admin/logs", AdminLogs);
        app.MapAdminEndpoints();
        app.MapRoutingAdminEndpoints();

        // No fallback route: a path without an endpoint ends as routing's 404, a known path with another method as its 405
        // (with Allow), and RequestIdMiddleware gives both a body in the path's dialect (PathErrors).
    }

    private static async Task ListModels(HttpContext context, RuntimeHolder runtimes, TimeProvider time)
    {
        if (GeminiModelEndpoints.IsGoogleClient(context.Request))
        {
            await GeminiModelEndpoints.ListAsync(context, runtimes, time);
            return;
        }
        var runtime = runtimes.Current;
        var (identity, error) = await ClientAuthenticator.AuthenticateAsync(context.Request, runtime, time, context.RequestAborted);
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
        if (GeminiModelEndpoints.IsGoogleClient(context.Request))
        {
            await GeminiModelEndpoints.GetAsync(context, runtimes, time);
            return;
        }
        var runtime = runtimes.Current;
        var (identity, error) = await ClientAuthenticator.AuthenticateAsync(context.Request, runtime, time, context.RequestAborted);
        if (identity is null)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, error!);
            return;
        }
        if (!identity.MayUse(id) || !runtime.TryResolveModel(identity, id, out var model))
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, Switchboard.Routing.ModelNotFoundHint.For(runtime, identity, id));
            return;
        }
        await context.Response.WriteAsJsonAsync(new ModelObject(id, "model", ModelCreated, model.OwnedBy), GatewayJsonContext.Default.ModelObject);
    }

    /// <summary>
    /// 200 always once started (CONTRACT §1): "ready", or "degraded" while the database is unreachable (known keys
    /// keep working, usage rows are buffered).
    /// </summary>
    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ReadyStatus> Ready(KeyDirectory directory, LedgerWriter ledger)
    {
        var dbOk = directory.IsDatabaseHealthy;
        var status = new ReadyStatus(dbOk && ledger.IsHealthy ? "ready" : "degraded", dbOk ? "ok" : "unreachable",
            ledger.IsHealthy ? "ok" : "buffering", ledger.Pending);
        return TypedResults.Json(status, AdminJsonContext.Default.ReadyStatus);
    }

    /// <summary>
    /// Recent requests from the ledger, newest first. Rows still queued are flushed first (so a client sees its own
    /// request); with the database unreachable, the in-memory ring of recent requests answers instead.
    /// </summary>
    private static async Task AdminLogs(HttpContext context, RuntimeHolder runtimes, RecentRequestLog recent, LedgerWriter ledger, UsageQueries usage)
    {
        if (AdminEndpoints.Authorize(context, runtimes) is { } denied)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, denied);
            return;
        }
        var (filter, error) = AdminEndpoints.ReadFilter(context.Request);
        if (filter is null)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, error!);
            return;
        }
        var limitText = context.Request.Query["limit"].ToString();
        var limit = 100;
        if (limitText.Length > 0 && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, GatewayError.InvalidRequest("'limit' must be a positive whole number.", "limit"));
            return;
        }
        limit = Math.Min(limit, 1000);
        IReadOnlyList<UsageRecord> records;
        try
        {
            await ledger.FlushAsync(TimeSpan.FromSeconds(2), context.RequestAborted);
            records = await usage.RecentAsync(filter, limit, context.RequestAborted);
        }
        catch (Exception e) when (SwitchboardDatabase.IsUnavailable(e))
        {
            context.Response.Headers["x-switchboard-degraded"] = "database unreachable: recent requests from memory";
            records = FilterRecent(recent.Snapshot(1000), filter, limit);
        }
        var rows = new List<RequestLogEntry>(records.Count);
        foreach (var r in records)
        {
            rows.Add(new RequestLogEntry(r.RequestId, r.Timestamp, r.KeyName, r.Endpoint, r.Model, r.Provider, r.UpstreamModel,
                r.Status, r.ErrorCode, r.Stream, r.Usage.PromptTokens, r.Usage.CompletionTokens, r.Usage.CachedPromptTokens,
                r.Usage.ReasoningTokens, !r.UsageMissing, Math.Round(r.LatencyMs, 3),
                r.TimeToFirstTokenMs is { } t ? Math.Round(t, 3) : null, r.Attempts)
            {
                KeyId = r.KeyId,
                Team = r.Team,
                CostUsd = r.CostUsd,
                UsageEstimated = r.CostEstimated || r.UsageMissing,
                AttemptLog = r.AttemptLog,
                ClientRequestId = r.ClientRequestId,
                Adjusted = r.Adjusted,
            });
        }
        await context.Response.WriteAsJsonAsync(new RequestLogPage(rows), GatewayJsonContext.Default.RequestLogPage);
    }

    private static List<UsageRecord> FilterRecent(IReadOnlyList<UsageRecord> snapshot, UsageFilter f, int limit)
    {
        var rows = new List<UsageRecord>();
        foreach (var r in snapshot)
        {
            if (rows.Count >= limit) break;
            if ((f.KeyId is null || r.KeyId == f.KeyId) && (f.KeyName is null || r.KeyName == f.KeyName)
                && (f.Model is null || r.Model == f.Model) && (f.Team is null || r.Team == f.Team)
                && (f.Provider is null || r.Provider == f.Provider) && (f.Status is null || r.Status == f.Status)
                && (f.ClientRequestId is null || r.ClientRequestId == f.ClientRequestId)
                && (f.From is null || r.Timestamp >= f.From) && (f.To is null || r.Timestamp < f.To))
            {
                rows.Add(r);
            }
        }
        return rows;
    }
}
