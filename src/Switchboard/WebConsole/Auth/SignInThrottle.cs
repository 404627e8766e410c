using System.Threading.RateLimiting;

namespace Switchboard.WebConsole.Auth;

/// <summary>
/// Failed console sign-ins per client address: after <see cref="FailuresAllowed"/> in <see cref="Window"/>, every
/// sign-in from that address is refused until the window turns (a right key too, so guessing gains nothing).
/// Successful sign-ins cost nothing. Built on System.Threading.RateLimiting's partitioned fixed-window limiter,
/// taking a permit only for a failure.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const int FailuresAllowed = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailuresAllowed,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>False while <paramref name="address"/> has used up its failures.</summary>
    public bool MayTry(string address) => _failures.GetStatistics(address)?.CurrentAvailablePermits is not 0;

    public void RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
    }

    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public void Dispose() => _failures.Dispose();
}
