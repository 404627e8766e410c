using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>The wire dialect an answer is written in: it decides the error body shape and the standard headers.</summary>
internal enum Dialect
{
    OpenAI,
    Anthropic,
    Gemini,
}

/// <summary>
/// One error answer: HTTP status plus the fields of the dialect's error body. OpenAI uses all four
/// (<c>{"error":{message,type,param,code}}</c>); Anthropic uses <see cref="Type"/> as <c>error.type</c>; Google uses
/// <see cref="Type"/> as <c>error.status</c> (INVALID_ARGUMENT ...) and <see cref="DetailsJson"/> as <c>error.details</c>.
/// </summary>
internal sealed record ApiError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>Headers some errors carry besides the dialect defaults (Retry-After on injected 429s, ...).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders { get; init; }

    public Dialect Dialect { get; init; }

    /// <summary>Google only: the raw JSON array written as <c>error.details</c> (null: no details member).</summary>
    public string? DetailsJson { get; init; }
}

/// <summary>
/// The error answers of the real API, with its wording, so the gateway is tested against what it will
/// meet in production (and can pass the upstream error through unchanged).
/// </summary>
internal static class OpenAIErrors
{
    public const string InvalidRequest = "invalid_request_error";

    public static ApiError MissingApiKey() => new(401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
        "(i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API " +
        "from your browser and are prompted for a username and password. You can obtain an API key from " +
        "https://platform.openai.com/account/api-keys.",
        InvalidRequest);

    public static ApiError IncorrectApiKey(string key) => new(401,
        $"Incorrect API key provided: {MaskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.",
        InvalidRequest, null, "invalid_api_key");

    /// <summary>
    /// Masks like OpenAI does (<c>sk-5ZHQn*****pYxy</c>): a short prefix, one star per hidden character, the last 4.
    /// The prefix shrinks for short keys so that most of the key stays hidden.
    /// </summary>
    public static string MaskKey(string key)
    {
        if (key.Length <= 8)
        {
            return new string('*', key.Length);
        }
        int prefix = Math.Clamp((key.Length - 4) / 2, 3, 8);
        return string.Concat(key.AsSpan(0, prefix), new string('*', key.Length - prefix - 4), key.AsSpan(key.Length - 4));
    }

    public static ApiError InvalidUrl(string method, string path) => new(404, $"Invalid URL ({method} {path})", InvalidRequest);

    public static ApiError UnsupportedContentType(string contentType) => new(400,
        $"Unsupported content type: '{contentType}'. This API method only accepts 'application/json' requests, " +
        $"but you specified the header 'Content-Type: {contentType}'. Please try again with a supported content type.",
        InvalidRequest);

    public static ApiError UnparsableJson() => new(400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library " +
        "correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble " +
        "figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        InvalidRequest);

    public static ApiError MissingModel() => new(400, "you must provide a model parameter", InvalidRequest);

    public static ApiError ModelNotFound(string model) => new(404,
        $"The model `{model}` does not exist or you do not have access to it.", InvalidRequest, null, "model_not_found");

    /// <summary>GET /v1/models/{id} words it differently from the inference endpoints.</summary>
    public static ApiError RetrieveModelNotFound(string model) => new(404,
        $"The model '{model}' does not exist", InvalidRequest, "model", "model_not_found");

    public static ApiError NotAChatModel() => new(404,
        "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?",
        InvalidRequest, "model");

    public static ApiError NotAnEmbeddingModel() => new(403,
        "You are not allowed to generate embeddings from this model", InvalidRequest);

    public static ApiError Unrecognized(string name) => new(400,
        $"Unrecognized request argument supplied: {name}", InvalidRequest, name);

    public static ApiError MissingRequired(string param) => new(400,
        $"Missing required parameter: '{param}'.", InvalidRequest, param, "missing_required_parameter");

    public static ApiError InvalidType(string param, string expected, JsonElement got) => new(400,
        $"Invalid type for '{param}': expected {expected}, but got {Describe(got)} instead.", InvalidRequest, param, "invalid_type");

    public static ApiError InvalidValue(string param, string value, IReadOnlyList<string> supported) => new(400,
        $"Invalid value: '{value}'. Supported values are: {QuoteList(supported)}.", InvalidRequest, param, "invalid_value");

    public static ApiError EmptyArray(string param) => new(400,
        $"Invalid '{param}': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        InvalidRequest, param, "empty_array");

    public static ApiError ArrayTooLong(string param, int max, int got) => new(400,
        $"Invalid '{param}': array too long. Expected an array with maximum length {max}, but got an array with length {got} instead.",
        InvalidRequest, param, "array_above_max_length");

    public static ApiError BelowMin(string param, bool integer, string min, string got) => new(400,
        $"Invalid '{param}': {(integer ? "integer" : "decimal")} below minimum value. Expected a value >= {min}, but got {got} instead.",
        InvalidRequest, param, integer ? "integer_below_min_value" : "decimal_below_min_value");

    public static ApiError AboveMax(string param, bool integer, string max, string got) => new(400,
        $"Invalid '{param}': {(integer ? "integer" : "decimal")} above maximum value. Expected a value <= {max}, but got {got} instead.",
        InvalidRequest, param, integer ? "integer_above_max_value" : "decimal_above_max_value");

    public static ApiError Invalid(string message, string? param = null, string? code = null) => new(400, message, InvalidRequest, param, code);

    /// <summary>The OpenAI type name used in "got a string instead" style messages.</summary>
    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => JsonShape.IsInteger(e) ? "an integer" : "a decimal",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>'a', 'b', and 'c' — OpenAI's enumeration style (Oxford comma, "and" before the last).</summary>
    public static string QuoteList(IReadOnlyList<string> values)
    {
        if (values.Count == 1)
        {
            return $"'{values[0]}'";
        }
        if (values.Count == 2)
        {
            return $"'{values[0]}' and '{values[1]}'";
        }
        return string.Join(", ", values.Take(values.Count - 1).Select(v => $"'{v}'")) + $", and '{values[^1]}'";
    }

    /// <summary>OpenAI's refusal of a prompt longer than the model's context window.</summary>
    public static ApiError ContextLengthExceeded() => new(400,
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
        InvalidRequest, "messages", "context_length_exceeded");

    /// <summary>OpenAI's refusal under its usage policies.</summary>
    public static ApiError ContentPolicyViolation() => new(400,
        "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
        InvalidRequest, null, "content_policy_violation");

    /// <summary>The body an injected <c>status=N</c> knob answers with: the real error of that status.</summary>
    public static ApiError ForStatus(int status, string? model) => status switch
    {
        400 => new(400, "Invalid request (injected by the mock upstream).", InvalidRequest),
        401 => IncorrectApiKey("sk-mock-injected-key"),
        403 => new(403, "Country, region, or territory not supported", "request_forbidden", null, "unsupported_country_region_territory"),
        404 => ModelNotFound(model ?? "unknown-model"),
        429 => new(429,
            $"Rate limit reached for {model ?? "gpt-4o"} in organization org-mock on requests per min (RPM): Limit 500, Used 500, Requested 1. " +
            "Please try again in 120ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
            "requests", null, "rate_limit_exceeded"),
        500 => new(500, "The server had an error while processing your request. Sorry about that!", "server_error"),
        502 => new(502, "Bad gateway.", "cf_bad_gateway"),
        503 => new(503,
            "That model is currently overloaded with other requests. You can retry your request, or contact us through our " +
            "help center at help.openai.com if the error persists.",
            "server_error", null, "overloaded"),
        _ => new(status, $"Injected status {status} (mock upstream).", status >= 500 ? "server_error" : InvalidRequest),
    };

    /// <summary>
    /// The checks every OpenAI endpoint makes first, in the real API's order: the model (on Azure paths the deployment
    /// names it and the body's model is ignored), then no member the endpoint does not know.
    /// </summary>
    public static ApiError? CheckModelAndMembers(JsonElement root, string? azureDeployment, FrozenSet<string> known, out string model)
    {
        model = "";
        if (azureDeployment is not null)
        {
            model = azureDeployment;
        }
        else if (!JsonShape.TryGetNonNull(root, "model", out var m))
        {
            return MissingModel();
        }
        else if (m.ValueKind != JsonValueKind.String)
        {
            return InvalidType("model", "a string", m);
        }
        else
        {
            model = m.GetString()!;
        }
        foreach (var prop in root.EnumerateObject())
        {
            if (!known.Contains(prop.Name))
            {
                return Unrecognized(prop.Name);
            }
        }
        return null;
    }

    public static void Write(Utf8JsonWriter w, ApiError error)
    {
        w.WriteStartObject();
        w.WriteStartObject("error"u8);
        w.WriteString("message"u8, error.Message);
        w.WriteString("type"u8, error.Type);
        JsonShape.WriteNullable(w, "param"u8, error.Param);
        JsonShape.WriteNullable(w, "code"u8, error.Code);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
