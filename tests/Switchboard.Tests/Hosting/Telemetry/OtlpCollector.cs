using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Switchboard.Tests.Hosting.Telemetry.Otlp;

namespace Switchboard.Tests.Hosting.Telemetry;

/// <summary>
/// A test OTLP/HTTP collector on loopback: accepts the protobuf exports OpenTelemetry's OTLP exporter POSTs (to
/// <c>/v1/traces</c>, <c>/v1/metrics</c> or any other path a signal-specific endpoint names) and keeps them, raw and
/// decoded, for the tests to read.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Path, byte[] Body)> _exports = [];

    private OtlpCollector(WebApplication app) => _app = app;

    /// <summary>Where to point OTEL_EXPORTER_OTLP_ENDPOINT (no trailing slash).</summary>
    public string BaseUrl => _app.Urls.First().TrimEnd('/');

    public static async Task<OtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (collector._exports) collector._exports.Add((context.Request.Path.Value!, body.ToArray()));
            // An empty Export*ServiceResponse: full success.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return collector;
    }

    /// <summary>Every export body received so far, with the path it was posted to.</summary>
    public (string Path, byte[] Body)[] Exports
    {
        get { lock (_exports) return [.. _exports]; }
    }

    /// <summary>Every span received at <paramref name="path"/>, with the service.name of its resource and its scope.</summary>
    public ReceivedSpan[] Spans(string path = "/v1/traces") =>
        [.. Items(path).Select(item => new ReceivedSpan(Span.Parser.ParseFrom(item.Bytes), item.Scope, item.Service))];

    /// <summary>Every metric received at <c>/v1/metrics</c>: its instrumentation scope, name and resource's service.name.</summary>
    public (string Scope, string Name, string? Service)[] Metrics() =>
        [.. Items("/v1/metrics").Select(item => (item.Scope, Metric.Parser.ParseFrom(item.Bytes).Name, item.Service))];

    /// <summary>The spans or metrics (still encoded) of every export posted to <paramref name="path"/>, with their scope and service.</summary>
    private IEnumerable<(ByteString Bytes, string Scope, string? Service)> Items(string path) =>
        from export in Exports
        where export.Path == path
        from resource in ExportRequest.Parser.ParseFrom(export.Body).Resources
        from scope in resource.Scopes
        from item in scope.Items
        select (item, scope.Scope?.Name ?? "", Attribute(resource.Resource?.Attributes, "service.name")?.StringValue);

    /// <summary>Polls until <paramref name="found"/> returns a value (exports come in batches, a few hundred ms apart).</summary>
    public async Task<T> WaitForAsync<T>(Func<OtlpCollector, T?> found, string what) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (found(this) is { } value) return value;
            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"The collector never received {what}; it got {Exports.Length} exports at {string.Join(", ", Exports.Select(e => e.Path).Distinct())}.");
            }
        }
    }

    public static AnyValue? Attribute(IEnumerable<KeyValue>? attributes, string key) => attributes?.FirstOrDefault(a => a.Key == key)?.Value;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>One exported span with what the tests ask of it.</summary>
public sealed record ReceivedSpan(Span Span, string Scope, string? Service)
{
    public string Name => Span.Name;
    public string TraceId => Convert.ToHexStringLower(Span.TraceId.Span);
    public string SpanId => Convert.ToHexStringLower(Span.SpanId.Span);
    public string ParentSpanId => Convert.ToHexStringLower(Span.ParentSpanId.Span);
    public bool IsError => Span.Status?.Code == Status.Types.StatusCode.Error;

    public AnyValue? this[string key] => OtlpCollector.Attribute(Span.Attributes, key);

    public string? Attr(string key) => this[key]?.StringValue;

    public long? Number(string key) => this[key] is { ValueCase: AnyValue.ValueOneofCase.IntValue } value ? value.IntValue : null;

    public bool Has(string key) => this[key] is not null;

    public IEnumerable<string> Keys => Span.Attributes.Select(a => a.Key);

    /// <summary>All the span's text: attribute values, event names and the status message.</summary>
    public string Text => string.Join("\n", Span.Attributes.Select(a => a.Value.ToString()).Append(Span.Status?.Message ?? "").Concat(Span.Events.Select(e => e.Name)));
}
