using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Switchboard.Config;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Hosting;

namespace Switchboard.Tests.Support;

/// <summary>
/// A real gateway host on a free loopback port, built from YAML through the real config loader.
/// Captures everything the gateway logs so tests can scan it for secrets.
/// </summary>
public sealed class GatewayInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayInstance(WebApplication app, string baseUrl, CapturedLogs logs)
    {
        _app = app;
        BaseUrl = baseUrl;
        Logs = logs;
    }

    public string BaseUrl { get; }
    public CapturedLogs Logs { get; }

    /// <summary>The gateway's services (to reach its state in assertions, never to replace it).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Every finished request as the gateway recorded it (priced, attributed), newest first.</summary>
    public IReadOnlyList<Switchboard.Usage.UsageRecord> Recorded(int limit = 2000) =>
        _app.Services.GetRequiredService<Switchboard.Usage.RecentRequestLog>().Snapshot(limit);

    public static async Task<GatewayInstance> StartAsync(string yaml, Func<string, string?>? env = null, TimeProvider? time = null)
    {
        var result = ConfigLoader.LoadText(yaml, "test.yaml", env ?? (_ => null));
        if (!result.Ok) throw new InvalidOperationException("test config invalid:\n" + string.Join("\n", result.Errors));
        var logs = new CapturedLogs();
        var app = GatewayApp.Build(new GatewayOptions { Config = result.Config!, Host = "127.0.0.1", Port = 0, Time = time },
            logging => logging.ClearProviders().AddProvider(logs)); // captured for secret scans, not printed
        await app.StartAsync();
        return new GatewayInstance(app, app.Urls.First().TrimEnd('/'), logs);
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Every log line the gateway wrote (category, level, message, exception text).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
