namespace Switchboard.Errors;

/// <summary>How a failure should be handled: classified once, where it is detected.</summary>
public enum ErrorDisposition
{
    /// <summary>The client's request is at fault; never retried.</summary>
    ClientFault,
    /// <summary>Transient upstream trouble (429, 5xx, connect failure, timeout): another deployment may answer.</summary>
    Retryable,
    /// <summary>The prompt is too long for the model's context window: only <c>context_window_fallbacks</c> may answer.</summary>
    ContextWindowExceeded,
    /// <summary>The model refused under its content policy: only <c>content_policy_fallbacks</c> may answer.</summary>
    ContentPolicy,
    /// <summary>The gateway itself cannot serve the request (misconfiguration).</summary>
    Gateway,
}

/// <summary>
/// A failure as a value: HTTP status, OpenAI-style type/code/param, a message safe to show the client,
/// and how routing should treat it. Dialect writers render it; nothing else formats errors.
/// </summary>
public sealed record GatewayError(
    int Status,
    string Type,
    string? Code,
    string Message,
    ErrorDisposition Disposition,
    string? Param = null)
{
    /// <summary>Seconds the client should wait before retrying, when known (sent as Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The upstream provider's name when the error came from one (for logs and the ledger).</summary>
    public string? Provider { get; init; }

    /// <summary>
    /// What the upstream itself answered, for the operator's log only (never sent to a client): its HTTP status and
    /// its own error type and code, the start of a body that is no error object, or the transport error. Scrubbed of
    /// the provider's key.
    /// </summary>
    public string? UpstreamAnswer { get; init; }

    public static GatewayError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", code, message, ErrorDisposition.ClientFault, param);

    public static GatewayError InvalidApiKey(string message) =>
        new(401, "invalid_request_error", "invalid_api_key", message, ErrorDisposition.ClientFault);

    public static GatewayError ModelNotFound(string model) =>
        new(404, "invalid_request_error", "model_not_found",
            $"The model `{model}` does not exist or you do not have access to it.", ErrorDisposition.ClientFault, "model");

    public static GatewayError NotFound(string message) =>
        new(404, "invalid_request_error", "not_found", message, ErrorDisposition.ClientFault);

    public static GatewayError MethodNotAllowed(string message) =>
        new(405, "invalid_request_error", "method_not_allowed", message, ErrorDisposition.ClientFault);

    /// <summary>A body over the gateway's limit; <paramref name="setting"/> names the config key that sets it.</summary>
    public static GatewayError PayloadTooLarge(long limit, string setting = "server.max_body_size") =>
        new(413, "invalid_request_error", "request_too_large",
            $"The request body is larger than the gateway's limit of {limit} bytes ({setting}).", ErrorDisposition.ClientFault);

    public static GatewayError UnsupportedMediaType(string message) =>
        new(415, "invalid_request_error", "unsupported_media_type", message, ErrorDisposition.ClientFault);

    public static GatewayError Upstream(int status, string code, string message, string provider) =>
        new(status, "upstream_error", code, message, ErrorDisposition.Retryable) { Provider = provider };

    public static GatewayError Internal(string message) =>
        new(500, "server_error", "internal_error", message, ErrorDisposition.Gateway);
}
