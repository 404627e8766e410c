using System.Text.Json.Serialization;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Hosting;
using Switchboard.Routing;

namespace Switchboard.Endpoints;

/// <summary><c>GET /admin/deployments</c> (passive health per deployment) and <c>POST /admin/reload</c>; master key only.</summary>
public static class RoutingAdminEndpoints
{
    public static void MapRoutingAdminEndpoints(this WebApplication app)
    {
        app.MapGet("/admin/deployments", Deployments);
        app.MapPost("/admin/reload", Reload);
    }

    private static async Task Deployments(HttpContext context, RuntimeHolder runtimes, TimeProvider time)
    {
        if (!await IsAdminAsync(context, runtimes)) return;
        await context.Response.WriteAsJsonAsync(new DeploymentStatusPage(Report(runtimes.Current, time.GetUtcNow())),
            RoutingAdminJsonContext.Default.DeploymentStatusPage);
    }

    /// <summary>Every deployment of every model, in config order, with its health at <paramref name="now"/> (also the console's deployments page).</summary>
    public static IReadOnlyList<DeploymentStatus> Report(GatewayRuntime runtime, DateTimeOffset now)
    {
        var rows = new List<DeploymentStatus>();
        foreach (var model in runtime.OrderedModels)
        {
            foreach (var d in model.Deployments)
            {
                var h = d.Health;
                var latency = h.LatencyEwmaMs;
                rows.Add(new DeploymentStatus(model.Name, d.Provider.Name, d.UpstreamModel, Strategy(model.Strategy), d.Config.Weight, d.Config.Priority,
                    State(h.StateAt(now)), h.ConsecutiveFailures, h.CooldownUntil, h.InFlight,
                    double.IsNaN(latency) ? null : Math.Round(latency, 3), h.LatencySamples, h.Successes, h.Failures,
                    h.LastError is { } e ? new DeploymentError(e.Status, e.Code, e.Message, e.At) : null));
            }
        }
        return rows;
    }

    private static async Task Reload(HttpContext context, RuntimeHolder runtimes, ConfigReloader reloader)
    {
        if (!await IsAdminAsync(context, runtimes)) return;
        var result = await reloader.ReloadAsync();
        context.Response.StatusCode = result.Applied ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(new ReloadAnswer(result.Applied ? "reloaded" : "rejected", result.Errors,
            result.Applied ? null : new ReloadError($"The new config was rejected ({result.Errors.Count} error(s)); the previous one keeps serving.",
                "invalid_request_error", "invalid_config")), RoutingAdminJsonContext.Default.ReloadAnswer);
    }

    private static async Task<bool> IsAdminAsync(HttpContext context, RuntimeHolder runtimes)
    {
        if (ClientAuthenticator.IsMasterKey(context.Request, runtimes.Current)) return true;
        await ErrorResponses.WriteOpenAIAsync(context.Response, GatewayError.InvalidApiKey(
            string.IsNullOrEmpty(runtimes.Current.Config.MasterKey)
                ? "The admin API is disabled: set master_key in the config."
                : "The admin API needs the master key."));
        return false;
    }

    private static string State(HealthState state) => state switch
    {
        HealthState.CoolingDown => "cooling_down",
        HealthState.HalfOpen => "half_open",
        _ => "healthy",
    };

    private static string Strategy(Config.RoutingStrategy strategy) => Config.RoutingMapperNames.Of(strategy);
}

/// <summary>One row of <c>GET /admin/deployments</c>.</summary>
public sealed record DeploymentStatus(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("upstream_model")] string UpstreamModel,
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("weight")] int Weight,
    [property: JsonPropertyName("priority")] int? Priority,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("consecutive_failures")] int ConsecutiveFailures,
    [property: JsonPropertyName("cooldown_until")] DateTimeOffset? CooldownUntil,
    [property: JsonPropertyName("in_flight")] int InFlight,
    [property: JsonPropertyName("latency_ewma_ms")] double? LatencyEwmaMs,
    [property: JsonPropertyName("latency_samples")] long LatencySamples,
    [property: JsonPropertyName("successes")] long Successes,
    [property: JsonPropertyName("failures")] long Failures,
    [property: JsonPropertyName("last_error")] DeploymentError? LastError);

/// <summary>The latest failure of a deployment (scrubbed of secrets where it was classified).</summary>
public sealed record DeploymentError(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary><c>GET /admin/deployments</c> envelope.</summary>
public sealed record DeploymentStatusPage([property: JsonPropertyName("data")] IReadOnlyList<DeploymentStatus> Data);

/// <summary><c>POST /admin/reload</c> answer: 200 reloaded, or 400 with every error of the rejected file.</summary>
public sealed record ReloadAnswer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReloadError? Error);

/// <summary>The OpenAI-shaped error part of a rejected reload.</summary>
public sealed record ReloadError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] string Code);

/// <summary>Source-generated JSON for the routing admin endpoints.</summary>
[JsonSerializable(typeof(DeploymentStatusPage))]
[JsonSerializable(typeof(ReloadAnswer))]
public sealed partial class RoutingAdminJsonContext : JsonSerializerContext;
