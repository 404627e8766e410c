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
    private readonly string? _ownDataDirectory;

    private GatewayInstance(WebApplication app, string baseUrl, CapturedLogs logs, string? ownDataDirectory)
    {
        _app = app;
        _ownDataDirectory = ownDataDirectory;
        BaseUrl = baseUrl;
        Logs = logs;
    }

    public string BaseUrl { get; }
    public CapturedLogs Logs { get; }

    /// <summary>Every finished request as the gateway recorded it (priced, attributed), newest first.</summary>
    public IReadOnlyList<Switchboard.Usage.UsageRecord> Recorded(int limit = 2000) =>
        _app.Services.GetRequiredService<Switchboard.Usage.RecentRequestLog>().Snapshot(limit);

    /// <summary>
    /// The record of request <paramref name="requestId"/>: recorded just after its answer reached the client (and its
    /// observers, such as the access log, just after that), so polled for up to two seconds.
    /// </summary>
    public async Task<Switchboard.Usage.UsageRecord> RecordOfAsync(string requestId)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (Recorded().FirstOrDefault(r => r.RequestId == requestId) is { } record) return record;
            if (attempt == 100) throw new InvalidOperationException($"request {requestId} was never recorded");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Starts a gateway. Without a <c>database:</c> in the YAML, each instance gets its own SQLite file in a temp
    /// directory (deleted on dispose), so tests never share state. <paramref name="dataDirectory"/> is where the
    /// ledger's spill file goes (default: beside the SQLite file, or a temp directory with PostgreSQL).
    /// </summary>
    public static async Task<GatewayInstance> StartAsync(string yaml, Func<string, string?>? env = null, string? dataDirectory = null, TimeProvider? time = null,
        Switchboard.Storage.Limits.LimitLeaseOptions? leases = null)
    {
        var result = ConfigLoader.LoadText(yaml, "test.yaml", Switchboard.Providers.ProviderRegistry.Default, env ?? (_ => null));
        if (!result.Ok) throw new InvalidOperationException("test config invalid:\n" + string.Join("\n", result.Errors));
        return await StartConfigAsync(result.Config!, DeclaresDatabase(yaml), dataDirectory, time, leases);
    }

    private static async Task<GatewayInstance> StartConfigAsync(GatewayConfig config, bool declaresDatabase, string? dataDirectory, TimeProvider? time = null,
        Switchboard.Storage.Limits.LimitLeaseOptions? leases = null)
    {
        string? own = null;
        if (dataDirectory is null)
        {
            own = Path.Combine(Path.GetTempPath(), "sb-gw-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(own);
            dataDirectory = own;
        }
        if (!declaresDatabase) config = config with { Database = Path.Combine(dataDirectory, "switchboard.db") };
        var logs = new CapturedLogs();
        var app = GatewayApp.Build(new GatewayOptions { Config = config, Host = "127.0.0.1", Port = 0, DataDirectory = dataDirectory, Time = time, LimitLeases = leases },
            logging => logging.ClearProviders().AddProvider(logs)); // captured for secret scans, not printed
        await app.StartAsync();
        return new GatewayInstance(app, app.Urls.First().TrimEnd('/'), logs, own);
    }

    /// <summary>The host's services (e.g. the ledger writer, to stop it or read its counters).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A graceful stop (as on SIGTERM): hosted services flush, then the instance can be disposed.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <summary>A gateway started from a config file (so <c>POST /admin/reload</c> and the file watcher have something to read).</summary>
    public static async Task<GatewayInstance> StartFromFileAsync(string path)
    {
        var result = ConfigLoader.LoadFile(path, Switchboard.Providers.ProviderRegistry.Default);
        if (!result.Ok) throw new InvalidOperationException("test config invalid:\n" + string.Join("\n", result.Errors));
        return await StartConfigAsync(result.Config!, DeclaresDatabase(File.ReadAllText(path)), null);
    }

    /// <summary>True when the YAML sets <c>database:</c> at top level (else the instance gets its own SQLite file).</summary>
    private static bool DeclaresDatabase(string yaml) =>
        yaml.StartsWith("database:", StringComparison.Ordinal) || yaml.Contains("\ndatabase:", StringComparison.Ordinal);

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        if (_ownDataDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_ownDataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>Every log line the gateway wrote (category, level, message, exception text), and each entry's structured fields.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Every entry with its structured fields (the message template's named values).</summary>
    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose() { }

    private sealed class Logger(string category, CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            logs._lines.Enqueue($"{logLevel} {category}: {message} {exception}");
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            logs._entries.Enqueue(new LogEntry(category, logLevel, message, fields));
        }
    }
}

/// <summary>One captured log entry: its category, level, formatted message and structured fields.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);
