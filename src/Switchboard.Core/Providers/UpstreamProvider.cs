using System.Net;
using System.Net.Sockets;
using Switchboard.Config;

namespace Switchboard.Providers;

/// <summary>
/// One configured upstream account with its own pooled <see cref="SocketsHttpHandler"/>: connections are
/// kept alive and reused across requests, never created per request.
/// </summary>
public sealed class UpstreamProvider : IDisposable
{
    // Runtimes using this provider: a reload may carry an unchanged provider (and its warm connections) into the
    // new runtime; the handler is disposed when the last runtime using it is.
    private int _owners = 1;

    public UpstreamProvider(ProviderConfig config) : this(config, config.ConnectTimeout) { }

    /// <param name="config">The provider's settings.</param>
    /// <param name="connectTimeout">The connect timeout of its pooled handler.</param>
    /// <param name="responsesNeeded">Some deployment on it has <c>api: responses</c>: its Responses API is built even when
    /// Responses clients are not relayed to it (<see cref="ProviderConfig.Responses"/> false).</param>
    /// <exception cref="ArgumentException">The config names a provider type that is not registered.</exception>
    public UpstreamProvider(ProviderConfig config, TimeSpan connectTimeout, bool responsesNeeded = false)
    {
        Config = config;
        ConnectTimeout = connectTimeout;
        Type = ProviderRegistry.Default.Require(config.Type);
        Protocol = Type.CreateProtocol(config);
        ResponsesProtocol = config.Responses || responsesNeeded ? Type.CreateResponsesProtocol?.Invoke(config) : null;
        Target = Protocol as IUpstreamTarget;
        Http = new HttpMessageInvoker(CreateHandler(connectTimeout), disposeHandler: true);
    }

    /// <summary>The connect timeout of the pooled handler.</summary>
    public TimeSpan ConnectTimeout { get; }

    /// <summary>
    /// True when a new runtime may reuse this provider for <paramref name="config"/>: same upstream, same settings, and
    /// its Responses API built if the new runtime's deployments need it (<paramref name="responsesNeeded"/>).
    /// </summary>
    public bool CanServe(ProviderConfig config, TimeSpan connectTimeout, bool responsesNeeded = false) =>
        connectTimeout == ConnectTimeout
        && config.Name == Config.Name && config.Type == Config.Type && config.BaseUrl == Config.BaseUrl
        && config.ApiKey == Config.ApiKey && config.ApiVersion == Config.ApiVersion
        && config.Timeouts == Config.Timeouts && config.RequestTimeout == Config.RequestTimeout
        && config.Headers.SequenceEqual(Config.Headers)
        && config.Responses == Config.Responses && (!responsesNeeded || ResponsesProtocol is not null);

    /// <summary>One more runtime uses this provider.</summary>
    public void AddOwner() => Interlocked.Increment(ref _owners);

    /// <summary>A runtime using this provider is gone; the last one disposes it.</summary>
    public void ReleaseOwner()
    {
        if (Interlocked.Decrement(ref _owners) == 0) Http.Dispose();
    }

    public ProviderConfig Config { get; }
    public string Name => Config.Name;

    /// <summary>The provider type: its adapter's factory and what it can do.</summary>
    public ProviderTypeRegistration Type { get; }

    /// <summary>The chat wire protocol of this upstream (never null: every registered type has one).</summary>
    public IUpstreamProtocol? Protocol { get; }

    /// <summary>
    /// Its OpenAI Responses API, when its type has one and it is used: Responses clients relayed
    /// (<see cref="ProviderConfig.Responses"/>) or a deployment with <c>api: responses</c>; else null.
    /// </summary>
    public IUpstreamProtocol? ResponsesProtocol { get; }

    /// <summary>OpenAI-only operations (legacy completions, embeddings); null for other wires.</summary>
    public IUpstreamTarget? Target { get; }

    /// <summary>The pooled client for this upstream. No client-level timeout: streams may run long; callers bound time.</summary>
    public HttpMessageInvoker Http { get; }

    private static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout) => new()
    {
        ConnectTimeout = connectTimeout,
        // Recycle connections now and then so DNS changes are picked up; keep idle ones long enough to reuse.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        MaxConnectionsPerServer = int.MaxValue,
        EnableMultipleHttp2Connections = true,
        // We relay bytes as the upstream sends them; decompressing would only add work (we never ask for gzip).
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = ConnectWithNoDelayAsync,
    };

    /// <summary>Nagle off on the upstream leg, so small SSE events are not held back.</summary>
    private static async ValueTask<Stream> ConnectWithNoDelayAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => Http.Dispose();
}
