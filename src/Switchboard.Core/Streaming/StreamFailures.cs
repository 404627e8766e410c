using Switchboard.Errors;
using Switchboard.Providers;

namespace Switchboard.Streaming;

/// <summary>The ways an upstream stream fails, as errors every relay reports the same way.</summary>
public static class StreamFailures
{
    public static GatewayError IdleTimeout(UpstreamProvider provider, TimeSpan idle) =>
        new(504, "upstream_error", "upstream_idle_timeout",
            $"Provider '{provider.Name}' sent nothing for {idle.TotalSeconds:0.#} s; the stream was abandoned.",
            ErrorDisposition.Retryable) { Provider = provider.Name };

    public static GatewayError Broken(UpstreamProvider provider, Exception cause) =>
        new(502, "upstream_error", "upstream_stream_broken",
            $"The connection to provider '{provider.Name}' broke during the stream.", ErrorDisposition.Retryable)
        { Provider = provider.Name, UpstreamAnswer = UpstreamErrors.TransportFailure(cause, provider) };

    public static GatewayError Truncated(UpstreamProvider provider) =>
        new(502, "upstream_error", "upstream_stream_truncated",
            $"The stream from provider '{provider.Name}' ended before the answer was complete.", ErrorDisposition.Retryable)
        { Provider = provider.Name };

    /// <summary>A stream event that is not what the upstream's wire promises (e.g. broken JSON): never relayed.</summary>
    public static GatewayError Garbled(UpstreamProvider provider, string? detail) =>
        new(502, "upstream_error", "upstream_invalid_response",
            $"Provider '{provider.Name}' sent a stream event the gateway could not read{(detail is null ? "" : ": " + SecretScrubber.Scrub(detail, provider.Config.ApiKey))}.",
            ErrorDisposition.Retryable) { Provider = provider.Name };

    /// <summary>An error event the upstream put in its stream, scrubbed of the provider's key.</summary>
    public static GatewayError Reported(UpstreamProvider provider, string? code, string detail) =>
        new(502, "upstream_error", code ?? "upstream_stream_error",
            SecretScrubber.Scrub($"Provider '{provider.Name}' reported an error in the stream: {detail}", provider.Config.ApiKey),
            ErrorDisposition.Retryable) { Provider = provider.Name };
}
