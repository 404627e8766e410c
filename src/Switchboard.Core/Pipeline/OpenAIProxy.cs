using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Auth;
using Switchboard.Dialects.OpenAIChat;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Streaming;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// Serves the OpenAI-dialect generation endpoints (chat completions, legacy completions, embeddings) from
/// OpenAI-wire upstreams: authenticate, validate, route, rewrite the body by splicing, relay the answer without
/// buffering streams, fall over to the next deployment while nothing has reached the client, and record usage.
/// </summary>
public sealed partial class OpenAIProxy(RuntimeHolder runtimes, IUsageSink usageSink, TimeProvider time, ILogger<OpenAIProxy> logger)
{
    /// <summary>Largest upstream JSON answer we accept for a non-streaming request.</summary>
    private const int MaxResponseBytes = 64 * 1024 * 1024;
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptEventStream = new("text/event-stream");

    /// <summary>How many upstream attempts the answer took (fallovers are never invisible).</summary>
    public const string AttemptsHeader = "x-switchboard-attempts";
    /// <summary>The provider (config name) that produced the answer.</summary>
    public const string ProviderHeader = "x-switchboard-provider";

    /// <summary>One client-facing operation and where it goes upstream.</summary>
    public sealed record Operation(string Name, OpenAIRequestHead.Kind Kind, Func<IUpstreamTarget, string, Uri> Target);

    public static readonly Operation ChatCompletions = new("chat.completions", OpenAIRequestHead.Kind.Chat, (t, m) => t.ChatCompletions(m));
    public static readonly Operation Completions = new("completions", OpenAIRequestHead.Kind.Completions, (t, m) => t.Completions(m));
    public static readonly Operation Embeddings = new("embeddings", OpenAIRequestHead.Kind.Embeddings, (t, m) => t.Embeddings(m));

    public async Task HandleAsync(HttpContext context, Operation operation)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var runtime = runtimes.Current;
        var requestId = RequestIds.Get(context);

        var (identity, authError) = ClientAuthenticator.Authenticate(context.Request, runtime, time);
        if (identity is null)
        {
            await FinishWithErrorAsync(context, authError!, Record(requestId, operation, null, "", startedAt) with { Status = authError!.Status });
            return;
        }

        var (body, readError) = await RequestBodyReader.ReadJsonAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await FinishWithErrorAsync(context, readError!, Record(requestId, operation, identity, "", startedAt));
            return;
        }
        using (body)
        {
            var (head, parseError) = OpenAIRequestHead.Parse(body.Span, operation.Kind);
            if (parseError is not null)
            {
                await FinishWithErrorAsync(context, parseError, Record(requestId, operation, identity, "", startedAt));
                return;
            }
            if (!runtime.Models.TryGetValue(head.Model, out var model) || !identity.MayUse(head.Model))
            {
                await FinishWithErrorAsync(context, GatewayError.ModelNotFound(head.Model), Record(requestId, operation, identity, head.Model, startedAt));
                return;
            }
            await RouteAsync(context, operation, runtime, identity, model, head, body, requestId, startedAt);
        }
    }

    private async Task RouteAsync(HttpContext context, Operation operation, GatewayRuntime runtime, ClientIdentity identity,
        RoutedModel model, OpenAIRequestHead head, PooledBuffer body, string requestId, long startedAt)
    {
        var plan = AttemptPlanner.Plan(model, runtime);
        using var upstreamBody = new PooledBuffer(body.Length + 64);
        GatewayError? lastError = null;
        RoutedDeployment? lastDeployment = null;
        var attempts = 0;

        foreach (var deployment in plan)
        {
            var target = deployment.Provider.Target;
            if (target is null)
            {
                lastError = new GatewayError(501, "upstream_error", "provider_type_not_supported",
                    $"Provider '{deployment.Provider.Name}' has type '{deployment.Provider.Config.Type}', which this endpoint cannot reach yet.",
                    ErrorDisposition.Gateway);
                continue;
            }
            attempts++;
            lastDeployment = deployment;
            // Set before every attempt: whichever attempt answers (or fails last) is what the client sees.
            context.Response.Headers[AttemptsHeader] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers[ProviderHeader] = deployment.Provider.Name;
            upstreamBody.Clear();
            OpenAIBodyRewriter.Rewrite(body.Span, head, deployment.UpstreamModel, upstreamBody);
            var outcome = await AttemptAsync(context, operation, deployment, target, head, upstreamBody);

            var record = Record(requestId, operation, identity, model.Name, startedAt) with
            {
                Provider = deployment.Provider.Name,
                UpstreamModel = deployment.UpstreamModel,
                Stream = head.Stream,
                Usage = outcome.Usage,
                UsageMissing = !outcome.UsageReported,
                Attempts = attempts,
                TimeToFirstTokenMs = outcome.FirstByteTimestamp is { } first ? Stopwatch.GetElapsedTime(startedAt, first).TotalMilliseconds : null,
            };
            switch (outcome.Result)
            {
                case AttemptResult.Completed:
                    usageSink.Record(record with { Status = 200 });
                    return;
                case AttemptResult.ClientGone:
                    usageSink.Record(record with { Status = 499, ErrorCode = "client_closed_request" });
                    return;
                case AttemptResult.FailedAfterStart:
                    LogUpstreamFailure(logger, requestId, deployment.Provider.Name, outcome.Error!.Status, outcome.Error.Code);
                    usageSink.Record(record with { Status = outcome.Error.Status, ErrorCode = outcome.Error.Code });
                    return;
            }
            lastError = outcome.Error!;
            LogUpstreamFailure(logger, requestId, deployment.Provider.Name, lastError.Status, lastError.Code);
            // Only transient trouble is worth another deployment; the client's own mistakes would fail everywhere.
            if (lastError.Disposition != ErrorDisposition.Retryable) break;
        }

        lastError ??= GatewayError.Internal("No deployment could serve the request.");
        await FinishWithErrorAsync(context, lastError, Record(requestId, operation, identity, model.Name, startedAt) with
        {
            Provider = lastDeployment?.Provider.Name,
            UpstreamModel = lastDeployment?.UpstreamModel,
            Stream = head.Stream,
            Attempts = attempts,
        });
    }

    private static async Task<AttemptOutcome> AttemptAsync(HttpContext context, Operation operation, RoutedDeployment deployment,
        IUpstreamTarget target, OpenAIRequestHead head, PooledBuffer upstreamBody)
    {
        var provider = deployment.Provider;
        using var request = new HttpRequestMessage(HttpMethod.Post, operation.Target(target, deployment.UpstreamModel))
        {
            Content = new ReadOnlyMemoryContent(upstreamBody.Memory),
        };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.Accept.Add(head.Stream ? AcceptEventStream : AcceptJson);
        target.Authorize(request.Headers);
        foreach (var (name, value) in provider.Config.Headers) request.Headers.TryAddWithoutValidation(name, value);

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timer.CancelAfter(provider.Config.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            // HttpMessageInvoker returns at the response headers and never buffers the body.
            response = await provider.Http.SendAsync(request, timer.Token);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return new AttemptOutcome(AttemptResult.ClientGone, null, default, false, null);
        }
        catch (OperationCanceledException ex)
        {
            return AttemptOutcome.Failed(OpenAIUpstreamErrors.FromException(ex, provider, timedOut: true));
        }
        catch (HttpRequestException ex)
        {
            return AttemptOutcome.Failed(OpenAIUpstreamErrors.FromException(ex, provider, timedOut: false));
        }

        using (response)
        {
            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    using var errorBody = await ReadBoundedAsync(response, 1024 * 1024, timer.Token);
                    return AttemptOutcome.Failed(OpenAIUpstreamErrors.FromResponse(response, errorBody.Span, provider));
                }
                if (head.Stream && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
                {
                    return await OpenAIStreamRelay.RelayAsync(context, response, provider, head.ClientWantsUsage, timer, provider.Config.RequestTimeout);
                }
                return await RelayJsonAsync(context, response, timer.Token);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return new AttemptOutcome(AttemptResult.ClientGone, null, default, false, null);
            }
            catch (OperationCanceledException ex)
            {
                return AttemptOutcome.Failed(OpenAIUpstreamErrors.FromException(ex, provider, timedOut: true));
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                return AttemptOutcome.Failed(OpenAIUpstreamErrors.FromException(ex, provider, timedOut: false));
            }
        }
    }

    /// <summary>Non-streaming answers are small and complete: read, take the usage, send with a Content-Length.</summary>
    private static async Task<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancel)
    {
        using var json = await ReadBoundedAsync(response, MaxResponseBytes, cancel);
        var usage = OpenAIUsageReader.Read(json.Span);
        var firstByte = Stopwatch.GetTimestamp();
        var client = context.Response;
        client.StatusCode = (int)response.StatusCode;
        client.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        client.ContentLength = json.Length;
        await client.Body.WriteAsync(json.Memory, context.RequestAborted);
        return new AttemptOutcome(AttemptResult.Completed, null, usage.Usage, usage.HasUsage, firstByte);
    }

    private static async Task<PooledBuffer> ReadBoundedAsync(HttpResponseMessage response, int limit, CancellationToken cancel)
    {
        var length = response.Content.Headers.ContentLength;
        var buffer = new PooledBuffer(length is > 0 and < 1024 * 1024 ? (int)length.Value : 16 * 1024);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            while (true)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(16 * 1024), cancel);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.Length > limit) throw new IOException($"The upstream answer exceeded {limit} bytes.");
            }
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private async Task FinishWithErrorAsync(HttpContext context, GatewayError error, UsageRecord record)
    {
        usageSink.Record(record with { Status = error.Status, ErrorCode = error.Code ?? error.Type });
        await ErrorResponses.WriteOpenAIAsync(context.Response, error);
    }

    private UsageRecord Record(string requestId, Operation operation, ClientIdentity? identity, string model, long startedAt) => new()
    {
        RequestId = requestId,
        Timestamp = time.GetUtcNow(),
        KeyName = identity is { IsAnonymous: false } ? identity.Name : null,
        Endpoint = operation.Name,
        Model = model,
        Status = 0,
        LatencyMs = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: provider {Provider} failed with {Status} {Code}")]
    private static partial void LogUpstreamFailure(ILogger logger, string requestId, string provider, int status, string? code);
}
