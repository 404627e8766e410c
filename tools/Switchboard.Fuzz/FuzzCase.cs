namespace Switchboard.Fuzz;

/// <summary>The error shape a path promises (CONTRACT §3): Anthropic's on /v1/messages*, OpenAI's elsewhere (admin included).</summary>
public enum ErrorDialect
{
    OpenAI,
    Anthropic,
    /// <summary>Google's <c>{"error":{"code","message","status"}}</c>: paths under /v1beta/ and the Gemini methods.</summary>
    Gemini,
}

/// <summary>
/// One hostile request, fully determined by the run's seed and its index: the raw bytes sent on a fresh connection,
/// what it targets, and what a correct answer looks like.
/// </summary>
/// <param name="Index">Its position in the run; <c>--seed S --case N</c> sends it again alone.</param>
/// <param name="Endpoint">The route it aims at (for the per-endpoint summary), e.g. <c>POST /v1/messages</c>.</param>
/// <param name="Mutation">What is hostile about it, e.g. <c>lone-surrogate</c>.</param>
/// <param name="Path">The request target as sent (path and query); its dialect is what an error must be in.</param>
/// <param name="Request">The bytes sent, request line to end of body.</param>
/// <param name="HalfClose">Whether the client ends its side after sending (bodies shorter than declared).</param>
/// <param name="ProtocolLevel">
/// Whether the request line or headers are malformed, so Kestrel itself may answer before the gateway sees a request
/// (a bodiless 400/414/431 without x-request-id; see RequestIdMiddleware's remarks). Such an answer is counted apart.
/// </param>
public sealed record FuzzCase(int Index, string Endpoint, string Mutation, string Path, byte[] Request, bool HalfClose, bool ProtocolLevel)
{
    public ErrorDialect Dialect => DialectOf(Path);

    public bool IsHead => Request.AsSpan().StartsWith("HEAD "u8);

    /// <summary>The same rule as the gateway's PathErrors, restated here so the fuzzer checks it rather than trusts it.</summary>
    public static ErrorDialect DialectOf(string path)
    {
        var pathOnly = path.Split('?')[0];
        if (pathOnly.StartsWith("/admin", StringComparison.OrdinalIgnoreCase)) return ErrorDialect.OpenAI;
        if (pathOnly.Contains("/messages", StringComparison.OrdinalIgnoreCase)) return ErrorDialect.Anthropic;
        string[] gemini = ["/v1beta/", ":generateContent", ":streamGenerateContent", ":countTokens"];
        return gemini.Any(marker => pathOnly.Contains(marker, StringComparison.OrdinalIgnoreCase)) ? ErrorDialect.Gemini : ErrorDialect.OpenAI;
    }
}
