using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Errors;

namespace Switchboard.Pipeline;

/// <summary>
/// The deadline of a graceful stop. On SIGTERM or Ctrl+C the host stops Kestrel, which stops accepting and waits for
/// the requests in flight; <see cref="Begin"/> starts the clock (<c>server.shutdown_timeout</c>). When it runs out,
/// <see cref="Deadline"/> fires: every upstream attempt still running ends as a failure with <see cref="Error"/> (a
/// stream that already started gets an error event in its client's dialect), so each request still finishes in order
/// and reaches the usage ledger, which the host stops after Kestrel.
/// </summary>
public sealed partial class ShutdownDrain : IDisposable
{
    private readonly CancellationTokenSource _deadline = new();
    private readonly ILogger _logger;
    private int _begun;

    public ShutdownDrain(ILogger<ShutdownDrain>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Fires when the drain time is over; attempts link it into their own cancellation.</summary>
    public CancellationToken Deadline => _deadline.Token;

    /// <summary>Starts the drain clock (once; later calls keep the first deadline).</summary>
    public void Begin(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _begun, 1) != 0) return;
        LogDraining(_logger, timeout.TotalSeconds);
        _deadline.Token.Register(static state => LogDeadline((ILogger)state!), _logger);
        _deadline.CancelAfter(timeout);
    }

    /// <summary>What a request still running at the deadline ends with (never retried on another deployment).</summary>
    public static GatewayError Error { get; } = new(503, "server_error", "server_shutting_down",
        "The gateway is shutting down and could not finish this request within its shutdown timeout; send it again.",
        ErrorDisposition.Gateway);

    public void Dispose() => _deadline.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no new connections; requests and streams in flight get up to {Seconds} s to finish (server.shutdown_timeout)")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timeout reached: requests still running end now with a server_shutting_down error (streams get an error event) and are recorded")]
    private static partial void LogDeadline(ILogger logger);
}
