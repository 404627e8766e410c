using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Switchboard.Pipeline;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Telemetry;

/// <summary>
/// The gateway's spans (OpenTelemetry GenAI semantic conventions): one server span per generation request, one client
/// span per upstream attempt under it, and the W3C trace context of the attempt on the upstream request. Every entry
/// point returns at once while nothing listens to <see cref="GatewayTelemetry.Source"/> (tracing off): one branch.
/// No attribute ever carries a credential; prompts and answers only with <c>telemetry.trace_content</c>.
/// </summary>
public static class GatewaySpans
{
    /// <summary>Marks a request span that captures content (<c>telemetry.trace_content</c> was on when it started).</summary>
    private const string CaptureContent = "switchboard.capture_content";

    /// <summary>
    /// Starts the request's span: a child of the request's current Activity when one exists (hosting instrumentation),
    /// else of the client's <c>traceparent</c>/<c>tracestate</c>, else a new trace. Null while tracing is off.
    /// </summary>
    public static Activity? StartRequest(HttpContext context, ProxyOperation operation) =>
        GatewayTelemetry.Source.HasListeners() ? StartRequestSpan(context, operation) : null;

    private static Activity? StartRequestSpan(HttpContext context, ProxyOperation operation)
    {
        ActivityContext parent = default;
        if (Activity.Current is null)
        {
            DistributedContextPropagator.Current.ExtractTraceIdAndState(context.Request.Headers, ReadHeader, out var traceParent, out var traceState);
            ActivityContext.TryParse(traceParent, traceState, isRemote: true, out parent);
        }
        var name = OperationName(operation.Kind);
        var span = GatewayTelemetry.Source.StartActivity(name, ActivityKind.Server, parent);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("gen_ai.operation.name", name);
            span.SetTag("switchboard.endpoint", operation.Name);
            span.SetTag("http.request.method", context.Request.Method);
            span.SetTag("url.path", context.Request.Path.Value);
        }
        return span;
    }

    /// <summary>What the client asked for, once its body is read: model, limits and (with trace_content) its messages.</summary>
    public static void DescribeRequest(Activity? span, ProxyOperation operation, in OpenAIRequestHead head, ReadOnlySpan<byte> body, bool traceContent)
    {
        if (span is not { IsAllDataRequested: true }) return;
        span.DisplayName = string.Concat(OperationName(operation.Kind), " ", head.Model);
        span.SetTag("gen_ai.request.model", head.Model);
        if (head.MaxTokens is { } maxTokens) span.SetTag("gen_ai.request.max_tokens", maxTokens);
        span.SetTag("switchboard.stream", head.Stream);
        if (!traceContent) return;
        span.SetCustomProperty(CaptureContent, true);
        SpanContent.TagInput(span, body);
    }

    /// <summary>
    /// Starts the span of the attempt about to run on <paramref name="deployment"/> (the request's
    /// <paramref name="attempt"/>th; <paramref name="previous"/> is the deployment of the attempt before it) and makes it
    /// current, so the upstream request carries its trace context. Null while tracing is off or outside a request span.
    /// </summary>
    public static Activity? StartAttempt(ProxyOperation operation, RoutedDeployment deployment, int attempt, RoutedDeployment? previous)
    {
        if (!GatewayTelemetry.Source.HasListeners() || Activity.Current is not { } request || request.Source != GatewayTelemetry.Source) return null;
        var name = OperationName(operation.Kind);
        var span = GatewayTelemetry.Source.StartActivity(string.Concat(name, " ", deployment.UpstreamModel), ActivityKind.Client);
        if (span is not { IsAllDataRequested: true }) return span;
        var provider = deployment.Provider;
        span.SetTag("gen_ai.operation.name", name);
        span.SetTag("gen_ai.provider.name", ProviderName(provider.Config.Type));
        span.SetTag("gen_ai.request.model", deployment.UpstreamModel);
        span.SetTag("server.address", provider.Config.BaseUrl.Host);
        span.SetTag("server.port", provider.Config.BaseUrl.Port);
        span.SetTag("switchboard.provider", provider.Name);
        span.SetTag("switchboard.attempt", attempt);
        span.SetTag("switchboard.attempt.kind", attempt == 1 ? "first" : ReferenceEquals(previous, deployment) ? "retry" : "fallback");
        request.SetTag("gen_ai.provider.name", ProviderName(provider.Config.Type));
        return span;
    }

    /// <summary>Records how the attempt ended (and stops its span when the caller's <c>using</c> ends).</summary>
    public static void EndAttempt(Activity? span, RoutedDeployment deployment, in AttemptOutcome outcome)
    {
        if (span is not { IsAllDataRequested: true }) return;
        switch (outcome.Result)
        {
            case AttemptResult.Completed:
                span.SetTag("switchboard.outcome", "completed");
                span.SetTag("gen_ai.response.model", deployment.UpstreamModel);
                break;
            case AttemptResult.ClientGone:
                span.SetTag("switchboard.outcome", "client_gone");
                span.SetTag("error.type", "client_closed_request");
                break;
            default:
                var error = outcome.Error!;
                span.SetTag("switchboard.outcome", outcome.Result == AttemptResult.FailedAfterStart ? "failed_after_start" : "failed");
                span.SetTag("http.response.status_code", error.Status);
                span.SetTag("error.type", error.Code ?? error.Type);
                span.SetStatus(ActivityStatusCode.Error, error.Code ?? error.Type);
                break;
        }
        if (outcome.UsageReported) TagUsage(span, outcome.Usage);
        if (outcome.FirstByteTimestamp is { } first)
        {
            span.AddEvent(new ActivityEvent("gen_ai.first_token", DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(first)));
        }
    }

    /// <summary>With trace_content: the answer the client got (a whole, non-streamed one), on the request span.</summary>
    public static void RecordOutput(ReadOnlySpan<byte> answer)
    {
        if (!GatewayTelemetry.Source.HasListeners() || Activity.Current?.Parent is not { } request
            || request.Source != GatewayTelemetry.Source || request.GetCustomProperty(CaptureContent) is not true) return;
        SpanContent.TagOutput(request, answer);
    }

    /// <summary>The finished request as its ledger row has it: status, tokens, attempts, who asked (by key name).</summary>
    public static void EndRequest(Activity span, UsageRecord record)
    {
        if (!span.IsAllDataRequested) return;
        if (record.Model.Length > 0)
        {
            span.SetTag("gen_ai.request.model", record.Model);
            span.DisplayName = string.Concat(span.OperationName, " ", record.Model);
        }
        span.SetTag("http.response.status_code", record.Status);
        span.SetTag("switchboard.request_id", record.RequestId);
        if (record.KeyName is { } key) span.SetTag("switchboard.key.name", key);
        if (record.Team is { } team) span.SetTag("switchboard.team", team);
        if (record.Provider is { } provider) span.SetTag("switchboard.provider", provider);
        span.SetTag("switchboard.attempts", record.Attempts);
        if (record.Status < 400 && record.UpstreamModel is { } upstreamModel) span.SetTag("gen_ai.response.model", upstreamModel);
        if (!record.UsageMissing) TagUsage(span, record.Usage);
        if (record.TimeToFirstTokenMs is { } ttft) span.SetTag("switchboard.time_to_first_token_ms", ttft);
        if (record.CostUsd is { } cost) span.SetTag("switchboard.cost_usd", (double)cost);
        if (record.Status >= 400)
        {
            var errorType = record.ErrorCode ?? record.Status.ToString(CultureInfo.InvariantCulture);
            span.SetTag("error.type", errorType);
            span.SetStatus(ActivityStatusCode.Error, errorType);
        }
    }

    /// <summary>The current request span, when <paramref name="current"/> is one (what a usage observer is called under).</summary>
    public static Activity? AsRequestSpan(Activity? current) =>
        current is { Kind: ActivityKind.Server } span && span.Source == GatewayTelemetry.Source ? span : null;

    /// <summary>
    /// Writes the current attempt span's W3C trace context (<c>traceparent</c>, <c>tracestate</c>) onto an upstream
    /// request. Done here because the gateway turns off HttpClient's own propagation (one Activity per call).
    /// </summary>
    public static void InjectContext(HttpRequestHeaders headers)
    {
        if (!GatewayTelemetry.Source.HasListeners() || Activity.Current is not { } span || span.Source != GatewayTelemetry.Source) return;
        DistributedContextPropagator.Current.Inject(span, headers, WriteHeader);
    }

    /// <summary>gen_ai.operation.name: chat for every chat-like API (Chat Completions, Messages, Responses).</summary>
    public static string OperationName(OpenAIRequestHead.Kind kind) => kind switch
    {
        OpenAIRequestHead.Kind.Embeddings => "embeddings",
        OpenAIRequestHead.Kind.Completions => "text_completion",
        OpenAIRequestHead.Kind.Images => "image_generation",
        OpenAIRequestHead.Kind.Speech => "speech",
        OpenAIRequestHead.Kind.Moderations => "moderation",
        OpenAIRequestHead.Kind.Upload => "upload",
        _ => "chat",
    };

    /// <summary>gen_ai.provider.name's well-known value for a provider type.</summary>
    public static string ProviderName(string providerType) => providerType switch
    {
        "gemini" => "gcp.gemini",
        "azure-openai" => "azure.ai.openai",
        _ => providerType,
    };

    private static void TagUsage(Activity span, TokenUsage usage)
    {
        span.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens);
        span.SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
    }

    private static void ReadHeader(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = carrier is IHeaderDictionary headers && headers.TryGetValue(name, out var found) ? found.ToString() : null;
    }

    private static void WriteHeader(object? carrier, string name, string value)
    {
        if (carrier is HttpRequestHeaders headers)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }
    }
}
