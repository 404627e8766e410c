namespace Switchboard.Providers.Gemini;

/// <summary>
/// Names and URL building for the Gemini API (<c>generateContent</c>), as the gateway calls it upstream:
/// <c>POST {base_url}/v1beta/models/{model}:generateContent</c>, or
/// <c>:streamGenerateContent?alt=sse</c> for a stream, with the key in <see cref="ApiKeyHeader"/>.
/// </summary>
/// <remarks>
/// The model id travels in the URL, never in the body. A stream is SSE whose every <c>data:</c> is a whole
/// <c>GenerateContentResponse</c>; there is no <c>[DONE]</c>: a stream is finished when
/// <see cref="GeminiStreamReader.IsComplete"/> says so, and one that ends before is cut.
/// </remarks>
public static class GeminiDialect
{
    /// <summary>Identifies this dialect in <see cref="Translation.Canonical.ProviderTool.Dialect"/> and <c>SourceDialect</c>.</summary>
    public const string Name = "gemini";

    /// <summary>The API version path segment the paths below are built for.</summary>
    public const string ApiVersion = "v1beta";

    /// <summary>The request header that carries the provider key.</summary>
    public const string ApiKeyHeader = "x-goog-api-key";

    /// <summary>
    /// The thought signature Google documents for function calls that Gemini did not produce itself
    /// (history from another model, hand-built transcripts): Gemini 3 answers 400 when the first
    /// <c>functionCall</c> of a step comes back without a signature, and accepts this value instead.
    /// </summary>
    public const string SkipThoughtSignatureValidator = "skip_thought_signature_validator";

    /// <summary>Whether raw extensions and hints of a document from <paramref name="sourceDialect"/>
    /// are in this dialect's terms.</summary>
    public static bool Owns(string? sourceDialect) => sourceDialect == Name;

    /// <summary>
    /// The model's resource name: <c>models/{model}</c>, or <paramref name="model"/> itself when it already
    /// is a resource name (<c>models/...</c>, <c>tunedModels/...</c>).
    /// </summary>
    public static string ModelResource(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        model = model.Trim();
        if (model.StartsWith('/'))
        {
            model = model[1..];
        }
        return model.Contains('/', StringComparison.Ordinal) ? model : "models/" + Uri.EscapeDataString(model);
    }

    /// <summary>
    /// The operation path relative to the API version: <c>models/{model}:generateContent</c>, or
    /// <c>models/{model}:streamGenerateContent?alt=sse</c> when <paramref name="stream"/>.
    /// </summary>
    public static string OperationPath(string model, bool stream) =>
        ModelResource(model) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");

    /// <summary>The path from the host root: <c>/v1beta/models/{model}:generateContent</c> (or the stream form).</summary>
    public static string RequestPath(string model, bool stream) => $"/{ApiVersion}/{OperationPath(model, stream)}";

    /// <summary>
    /// The full URL from a provider <c>base_url</c> (the host root, per the contract; a base that already
    /// ends in <c>/v1beta</c> or <c>/v1</c> is used as it is).
    /// </summary>
    public static Uri RequestUri(string baseUrl, string model, bool stream)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        var root = baseUrl.TrimEnd('/');
        var versioned = root.EndsWith("/v1beta", StringComparison.OrdinalIgnoreCase) || root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase);
        return new Uri(versioned ? $"{root}/{OperationPath(model, stream)}" : root + RequestPath(model, stream));
    }
}
