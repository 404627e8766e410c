using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace Switchboard.Tests.Support;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package, installed by test.sh) started on a free loopback port
/// with a scrape config of the test's own and a throwaway data directory; queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _log;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, ConcurrentQueue<string> log, int port)
    {
        _process = process;
        _directory = directory;
        _log = log;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The server binary: <c>SWITCHBOARD_PROMETHEUS</c>, else Debian's path.</summary>
    public static string Binary => Environment.GetEnvironmentVariable("SWITCHBOARD_PROMETHEUS") ?? "/usr/bin/prometheus";

    /// <summary>Starts Prometheus with <paramref name="scrapeConfigs"/> (the YAML list under <c>scrape_configs:</c>) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string scrapeConfigs)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: test.sh installs it (apt-get install prometheus)");
        var directory = Path.Combine(Path.GetTempPath(), "sb-prom-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n" + scrapeConfigs);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var log = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, log, port);
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>An instant query that must return one number (e.g. a <c>sum(…)</c>); null when it matches no series.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        Assert.Equal("success", answer.GetProperty("status").GetString());
        var result = answer.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0) return null;
        Assert.True(result.GetArrayLength() == 1, $"{promql} returned several series: {result}");
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Queries until the value is <paramref name="expected"/> (scrapes come every second) or 20 s passed; returns the last value.</summary>
    public async Task<double?> WaitForAsync(string promql, double expected)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await QueryAsync(promql);
            if (value is { } v && Math.Abs(v - expected) < 1e-9 || DateTime.UtcNow > until) return value;
            await Task.Delay(250);
        }
    }

    /// <summary>What Prometheus logged (for failure messages).</summary>
    public string Log => string.Join("\n", _log);

    private async Task WaitReadyAsync()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            Assert.False(_process.HasExited, "prometheus exited:\n" + Log);
            try
            {
                using var ready = await _http.GetAsync("/-/ready");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        Assert.Fail("prometheus did not become ready in 30 s:\n" + Log);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
