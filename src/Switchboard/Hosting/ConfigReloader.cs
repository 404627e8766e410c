using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>The outcome of one reload: the errors of a rejected config (empty when it was applied).</summary>
public sealed record ReloadResult(bool Applied, IReadOnlyList<string> Errors);

/// <summary>
/// Live config reload, on <c>POST /admin/reload</c> and (unless <c>reload.watch: false</c>) when the file changes:
/// load and validate; an invalid config is rejected with its errors and the old one keeps serving; a valid one is
/// swapped in atomically. Requests already running finish on the runtime they started with, which is disposed once
/// its last request is done (<see cref="GatewayRuntime.Retire"/>); unchanged providers are carried over with their
/// connections, and deployment health is kept (it lives in <see cref="DeploymentHealthRegistry"/>).
/// Our own watcher rather than the host's reloadOnChange: the config is YAML with its own validation, and a bad edit
/// must never take effect.
/// </summary>
public sealed partial class ConfigReloader(RuntimeHolder runtimes, DeploymentHealthRegistry health, Storage.Keys.KeyDirectory keyDirectory,
    ILogger<ConfigReloader> logger)
    : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    /// <summary>The file reloads read: the one the current config came from.</summary>
    public string? Path => runtimes.Current.Config.SourcePath is { } p && File.Exists(p) ? p : null;

    public async Task<ReloadResult> ReloadAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var path = Path;
            if (path is null) return new ReloadResult(false, ["the gateway was not started from a config file; nothing to reload"]);
            var result = ConfigLoader.LoadFile(path, Switchboard.Providers.ProviderRegistry.Default);
            if (!result.Ok)
            {
                var errors = result.Errors.Select(e => e.ToString()).ToList();
                LogRejected(logger, path, errors.Count, string.Join(Environment.NewLine, errors));
                return new ReloadResult(false, errors);
            }
            // Keys served from the database (the key directory) stay; a config-only key store is rebuilt from the new file.
            var current = runtimes.Current;
            var keys = current.Keys is Auth.KeyStore ? null : current.Keys;
            var next = new GatewayRuntime(result.Config!, keys, health, current);
            // The file's keys and teams go to the database first, so a key added to the file works once reload answers.
            if (ReferenceEquals(keys, keyDirectory)) await keyDirectory.ApplyConfigAsync(next.Config);
            var previous = runtimes.Swap(next);
            previous.Retire();
            LogApplied(logger, path, next.Config.Providers.Length, next.Config.Models.Length);
            return new ReloadResult(true, []);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var config = runtimes.Current.Config;
        if (!config.Reload.Watch || Path is not { } path) return Task.CompletedTask;
        var full = System.IO.Path.GetFullPath(path);
        var debounce = config.Reload.Debounce;
        _debounce = new Timer(_ => _ = ReloadFromWatcherAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        // Editors save by writing in place or by renaming a temp file over it: every event restarts the quiet period.
        FileSystemEventHandler changed = (_, _) => _debounce?.Change(debounce, Timeout.InfiniteTimeSpan);
        _watcher.Changed += changed;
        _watcher.Created += changed;
        _watcher.Renamed += (_, _) => _debounce?.Change(debounce, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    private async Task ReloadFromWatcherAsync()
    {
        try
        {
            await ReloadAsync();
        }
#pragma warning disable CA1031 // a timer callback must never crash the process; the reload logs its own outcome
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null) _watcher.EnableRaisingEvents = false;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Config reload from {Path} rejected ({Count} error(s)); the previous config keeps serving:\n{Errors}")]
    private static partial void LogRejected(ILogger logger, string path, int count, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Config reloaded from {Path}: {Providers} provider(s), {Models} model(s)")]
    private static partial void LogApplied(ILogger logger, string path, int providers, int models);

    [LoggerMessage(Level = LogLevel.Error, Message = "Config reload failed: {ExceptionType}")]
    private static partial void LogFailed(ILogger logger, string exceptionType);
}
