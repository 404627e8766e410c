using System.Net.Sockets;

namespace Switchboard.Tests.Support;

/// <summary>
/// The real Switchboard executable (built next to the tests) serving as a separate OS process, as replicas run in
/// production: nothing is shared with the test process or other replicas but the config text and the database.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    private GatewayProcess(Process process, string directory, string baseUrl)
    {
        _process = process;
        _directory = directory;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The OS process id the test started (the gateway keeps it across its own start-up restart).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The port it listens on (loopback).</summary>
    public int Port => new Uri(BaseUrl).Port;

    /// <summary>The process's exit code (once it has exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The config file the process was started with.</summary>
    public string ConfigPath => Path.Combine(_directory, "switchboard.yaml");

    /// <summary>Everything the process wrote to stdout and stderr so far (its logs).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Writes <paramref name="yaml"/> to a private directory and starts <c>serve</c> on a free loopback port;
    /// <paramref name="environment"/> sets (value) or removes (null) variables of the process's environment;
    /// <paramref name="serveArguments"/> are added to the command line.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(string yaml, IReadOnlyDictionary<string, string?>? environment = null, params string[] serveArguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "sb-proc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "switchboard.yaml");
        await File.WriteAllTextAsync(configPath, yaml);
        return await StartAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "Switchboard.dll")], directory, ["--config", configPath, .. serveArguments], environment);
    }

    /// <summary>
    /// Starts <c>{program} {programArgs} serve {serveArgs} --port P</c> in <paramref name="directory"/> (which the
    /// process owns and deletes on dispose) on a free loopback port, and waits until <c>/health/ready</c> answers 200:
    /// any build of the gateway (the .NET tool, a single-file executable) started as a user would.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(
        string program, IEnumerable<string> programArgs, string directory, IEnumerable<string> serveArgs,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in programArgs.Append("serve").Concat(serveArgs).Concat(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("SWITCHBOARD_CONFIG");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var gateway = new GatewayProcess(process, directory, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gateway.WaitReadyAsync();
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
        return gateway;
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    /// <summary>SIGTERM, as a service manager stops it: the gateway drains and flushes its ledger before exiting.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopGracefullyAsync();
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a dying process: the temp directory is left to the OS
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitReadyAsync()
    {
        using var client = Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the gateway at {BaseUrl} was not ready within 60 s:\n{Output}");
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
