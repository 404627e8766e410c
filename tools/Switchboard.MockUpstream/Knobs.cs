using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>
/// Per-request fault injection. Knobs come from a path prefix <c>/_knobs/k=v;k=v/</c> (so a provider base_url
/// can carry them without any gateway support) or from <c>x-mock-{knob}</c> headers (header wins).
/// No global switches: two tests sharing one mock cannot disturb each other.
/// </summary>
internal sealed class Knobs
{
    public const string PathPrefix = "/_knobs/";

    private static readonly string[] Names =
    [
        "status", "retry_after", "fail_first", "latency_ms", "chunk_delay_ms",
        "truncate_after", "reset_after", "garbage_after", "fixture", "words", "error",
        "error_after", "echo_key", "garbage", "invalid_body", "hold",
    ];

    private static readonly string[] ErrorKinds = ["context_length", "content_policy"];
    private static readonly string[] GarbageKinds = ["open", "shaped"];
    private static readonly string[] InvalidBodyKinds = ["truncated", "html", "array", "empty"];

    public static readonly Knobs None = new(new SortedDictionary<string, string>(StringComparer.Ordinal));

    private Knobs(SortedDictionary<string, string> values)
    {
        Values = values;
        // Canonical (sorted) form: the fail_first counter key, identical for the same knobs in any order or source.
        Key = string.Join(';', values.Select(kv => kv.Key + "=" + kv.Value));
    }

    public SortedDictionary<string, string> Values { get; }

    public string Key { get; }

    public bool IsEmpty => Values.Count == 0;

    public int? Status { get; private set; }
    public double? RetryAfterSeconds { get; private set; }
    public int? FailFirst { get; private set; }
    public int LatencyMs { get; private set; }
    public int ChunkDelayMs { get; private set; }
    public int? TruncateAfter { get; private set; }
    public int? ResetAfter { get; private set; }
    public int? GarbageAfter { get; private set; }
    public string? Fixture { get; private set; }
    public int? Words { get; private set; }
    /// <summary>A named refusal instead of the echo: <c>context_length</c> or <c>content_policy</c> (OpenAI's 400s).</summary>
    public string? Error { get; private set; }
    /// <summary>After this many stream events, the dialect's mid-stream error event, then the end.</summary>
    public int? ErrorAfter { get; private set; }
    /// <summary>Injected errors (status and <c>error_after</c>) quote the credential the request carried, as a leaky upstream might.</summary>
    public bool EchoKey { get; private set; }
    /// <summary><c>open</c> (default): the garbage frame's data is <c>{not json</c>; <c>shaped</c>: <c>{"choices": not json}</c>.</summary>
    public string Garbage { get; private set; } = "open";
    /// <summary>A non-streamed answer that is a 200 but not valid JSON of the dialect: truncated, html, array or empty.</summary>
    public string? InvalidBody { get; private set; }
    /// <summary>Audio answers: after the first chunk, wait until <c>POST /_mock/release/{gate}</c> (a streaming test's gate).</summary>
    public string? Hold { get; private set; }

    /// <summary>Splits <c>/_knobs/{spec}/rest</c>; returns false when the path carries no knob prefix.</summary>
    public static bool TrySplitPath(string path, out string spec, out string rest)
    {
        spec = "";
        rest = path;
        if (!path.StartsWith(PathPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        int end = path.IndexOf('/', PathPrefix.Length);
        spec = end < 0 ? path[PathPrefix.Length..] : path[PathPrefix.Length..end];
        rest = end < 0 ? "/" : path[end..];
        spec = Uri.UnescapeDataString(spec);
        return true;
    }

    /// <summary>Merges the path spec with x-mock-* headers (headers override) and validates every value.</summary>
    public static Knobs Parse(string? pathSpec, IHeaderDictionary headers, out string? error)
    {
        error = null;
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(pathSpec))
        {
            foreach (var part in pathSpec.Split([';', '&', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=');
                if (eq <= 0)
                {
                    error = $"Mock upstream: malformed knob '{part}' (expected name=value).";
                    return None;
                }
                values[Normalize(part[..eq])] = part[(eq + 1)..].Trim();
            }
        }
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith("x-mock-", StringComparison.OrdinalIgnoreCase))
            {
                values[Normalize(name["x-mock-".Length..])] = value.ToString().Trim();
            }
        }
        if (values.Count == 0)
        {
            return None;
        }

        var knobs = new Knobs(values);
        foreach (var (name, value) in values)
        {
            error = knobs.Apply(name, value);
            if (error is not null)
            {
                return None;
            }
        }
        return knobs;
    }

    private static string Normalize(string name) => name.Trim().Replace('-', '_').ToLowerInvariant();

    private string? Apply(string name, string value)
    {
        if (name == "fixture")
        {
            // The name becomes a file name: refuse anything that could leave the fixtures folder.
            if (value.Length == 0 || value.Contains("..", StringComparison.Ordinal) || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return $"Mock upstream: invalid fixture name '{value}'.";
            }
            Fixture = value.EndsWith(".sse", StringComparison.Ordinal) ? value[..^4] : value;
            return null;
        }
        if (name == "error")
        {
            if (Array.IndexOf(ErrorKinds, value) < 0)
            {
                return $"Mock upstream: knob error needs one of {string.Join(", ", ErrorKinds)}, got '{value}'.";
            }
            Error = value;
            return null;
        }
        if (name is "garbage" or "invalid_body")
        {
            var kinds = name == "garbage" ? GarbageKinds : InvalidBodyKinds;
            if (Array.IndexOf(kinds, value) < 0)
            {
                return $"Mock upstream: knob {name} needs one of {string.Join(", ", kinds)}, got '{value}'.";
            }
            if (name == "garbage") Garbage = value; else InvalidBody = value;
            return null;
        }
        if (name == "hold")
        {
            if (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return $"Mock upstream: knob hold needs a gate name (letters, digits, - and _), got '{value}'.";
            }
            Hold = value;
            return null;
        }
        if (name == "retry_after")
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || s < 0)
            {
                return $"Mock upstream: knob retry_after needs a non-negative number of seconds, got '{value}'.";
            }
            RetryAfterSeconds = s;
            return null;
        }
        if (Array.IndexOf(Names, name) < 0)
        {
            return $"Mock upstream: unknown knob '{name}'. Known knobs: {string.Join(", ", Names)}.";
        }
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 0)
        {
            return $"Mock upstream: knob {name} needs a non-negative integer, got '{value}'.";
        }
        switch (name)
        {
            case "status": Status = n; break;
            case "fail_first": FailFirst = n; break;
            case "latency_ms": LatencyMs = n; break;
            case "chunk_delay_ms": ChunkDelayMs = n; break;
            case "truncate_after": TruncateAfter = n; break;
            case "reset_after": ResetAfter = n; break;
            case "garbage_after": GarbageAfter = n; break;
            case "words": Words = n; break;
            case "error_after": ErrorAfter = n; break;
            case "echo_key": EchoKey = n != 0; break;
        }
        return null;
    }

    /// <summary>The credential the request carried, in whichever header (or <c>?key=</c>) its dialect uses.</summary>
    public static string PresentedKey(HttpRequest request)
    {
        var bearer = request.Headers.Authorization.ToString();
        if (bearer.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return bearer["Bearer ".Length..].Trim();
        foreach (var header in new[] { "x-api-key", "api-key", "x-goog-api-key" })
        {
            if (request.Headers[header].ToString() is { Length: > 0 } key) return key;
        }
        return request.Query["key"].ToString();
    }

    /// <summary>The message of an injected error, quoting the request's credential when <c>echo_key=1</c>.</summary>
    public string InjectedMessage(string message, HttpRequest request) =>
        EchoKey ? $"{message} (request made with key {PresentedKey(request)})" : message;

    /// <summary>The injected error for this request, or null when it should succeed (no status knob, or fail_first used up).</summary>
    public ApiError? InjectedError(MockState state, string? model, Dialect dialect = Dialect.OpenAI)
    {
        if (Error is not null && (FailFirst is not int limit || state.NextFailCount(Key) <= limit))
        {
            return Error == "context_length" ? OpenAIErrors.ContextLengthExceeded() : OpenAIErrors.ContentPolicyViolation();
        }
        if (Status is null && FailFirst is null)
        {
            return null;
        }
        int code = Status ?? 500;
        if (code < 400)
        {
            return null;
        }
        if (FailFirst is int first && state.NextFailCount(Key) > first)
        {
            return null;
        }
        var error = dialect switch
        {
            Dialect.Anthropic => Anthropic.AnthropicErrors.ForStatus(code, model),
            // Google carries the delay in the body (RetryInfo), not in a header.
            Dialect.Gemini => Gemini.GeminiErrors.ForStatus(code, model, RetryAfterSeconds),
            _ => OpenAIErrors.ForStatus(code, model),
        };
        if (dialect == Dialect.Anthropic && RetryAfterSeconds is double wait)
        {
            error = error with
            {
                ExtraHeaders = [new("retry-after", ((long)Math.Ceiling(wait)).ToString(CultureInfo.InvariantCulture))],
            };
        }
        else if (dialect == Dialect.OpenAI && RetryAfterSeconds is double s)
        {
            error = error with
            {
                ExtraHeaders =
                [
                    new("retry-after", ((long)Math.Ceiling(s)).ToString(CultureInfo.InvariantCulture)),
                    new("retry-after-ms", ((long)Math.Round(s * 1000)).ToString(CultureInfo.InvariantCulture)),
                ],
            };
        }
        return error;
    }
}
