namespace Switchboard.Providers.Anthropic;

/// <summary>Anthropic's error <c>type</c> words and how they map to HTTP statuses and OpenAI's terms.</summary>
public static class AnthropicErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string RequestTooLarge = "request_too_large";
    public const string RateLimit = "rate_limit_error";
    public const string Api = "api_error";
    public const string Overloaded = "overloaded_error";

    /// <summary>The type Anthropic uses for an HTTP status (400 → invalid_request_error, 529 → overloaded_error, ...).</summary>
    public static string ForStatus(int status) => status switch
    {
        401 => Authentication,
        403 => Permission,
        404 => NotFound,
        413 => RequestTooLarge,
        429 => RateLimit,
        529 or 503 => Overloaded,
        >= 500 => Api,
        _ => InvalidRequest,
    };

    /// <summary>The HTTP status Anthropic uses for a type; unknown types are 500.</summary>
    public static int StatusOf(string? type) => type switch
    {
        InvalidRequest => 400,
        Authentication => 401,
        "billing_error" => 402,
        Permission => 403,
        NotFound => 404,
        RequestTooLarge => 413,
        RateLimit => 429,
        Overloaded => 529,
        _ => 500,
    };

    /// <summary>Whether <paramref name="type"/> is one of Anthropic's error types.</summary>
    public static bool IsKnown(string? type) => type is InvalidRequest or Authentication or Permission or NotFound
        or RequestTooLarge or RateLimit or Api or Overloaded or "billing_error" or "timeout_error";

    /// <summary>An Anthropic type in OpenAI's terms, for <see cref="Translation.Canonical.StreamErrorEvent.Type"/>
    /// (the Anthropic word goes in <see cref="Translation.Canonical.StreamErrorEvent.Code"/>).</summary>
    public static string ToOpenAI(string? type) => type switch
    {
        RateLimit => "rate_limit_error",
        InvalidRequest or RequestTooLarge or NotFound => "invalid_request_error",
        Authentication => "authentication_error",
        Permission => "permission_error",
        _ => "server_error",
    };

    /// <summary>The Anthropic type for an error described in canonical (OpenAI) terms: an Anthropic word in
    /// <paramref name="code"/> or <paramref name="type"/> wins; otherwise by meaning, defaulting to api_error.</summary>
    public static string FromCanonical(string? type, string? code)
    {
        if (IsKnown(code))
        {
            return code!;
        }
        if (IsKnown(type))
        {
            return type!;
        }
        return type switch
        {
            "rate_limit_exceeded" or "requests" or "tokens" or "insufficient_quota" => RateLimit,
            "invalid_request_error" => InvalidRequest,
            "authentication_error" or "invalid_api_key" => Authentication,
            "permission_error" => Permission,
            _ => code is "rate_limit_exceeded" ? RateLimit : Api,
        };
    }
}
