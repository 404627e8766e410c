using System.Diagnostics;
using Switchboard.Telemetry;
using Switchboard.Usage;

namespace Switchboard.Hosting.Telemetry;

/// <summary>
/// Puts a finished request's facts (status, tokens, attempts, key name) on its span: the proxy hands the ledger row to
/// every usage observer while the request's span is still the current Activity. Registered only while tracing is on.
/// </summary>
public sealed class RequestSpanCloser : IUsageSink
{
    public void Record(UsageRecord record)
    {
        if (GatewaySpans.AsRequestSpan(Activity.Current) is { } span) GatewaySpans.EndRequest(span, record);
    }
}
