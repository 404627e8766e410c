using System.Net;
using System.Net.Sockets;
using Switchboard.Config;
using Switchboard.Providers.AzureOpenAI;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers;

/// <summary>
/// One configured upstream account with its own pooled <see cref="SocketsHttpHandler"/>: connections are
/// kept alive and reused across requests, never created per request.
/// </summary>
public sealed class UpstreamProvider : IDisposable
{
    public UpstreamProvider(ProviderConfig config)
    {
        Config = config;
        Protocol = config.Type switch
        {
            ProviderType.OpenAI => new OpenAITarget(config),
            ProviderType.AzureOpenAI => new AzureOpenAITarget(config),
            ProviderType.Gemini => new Gemini.GeminiProtocol(config),
            ProviderType.Anthropic => new Anthropic.AnthropicProtocol(config),
            _ => null,
        };
        Target = Protocol as IUpstreamTarget;
        Http = new HttpMessageInvoker(CreateHandler(config), disposeHandler: true);
    }

    public ProviderConfig Config { get; }
    public string Name => Config.Name;

    /// <summary>The chat wire protocol of this upstream; null for types whose adapter has not landed yet.</summary>
    public IUpstreamProtocol? Protocol { get; }

    /// <summary>OpenAI-only operations (legacy completions, embeddings); null for other wires.</summary>
    public IUpstreamTarget? Target { get; }

    /// <summary>The pooled client for this upstream. No client-level timeout: streams may run long; callers bound time.</summary>
    public HttpMessageInvoker Http { get; }

    private static SocketsHttpHandler CreateHandler(ProviderConfig config) => new()
    {
        ConnectTimeout = config.ConnectTimeout,
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
