namespace Switchboard.Providers.Gemini;

/// <summary>Choices for <see cref="GeminiRequestWriter"/> that the request itself does not carry.</summary>
public sealed record GeminiWriteOptions
{
    /// <summary>Writer defaults.</summary>
    public static GeminiWriteOptions Default { get; } = new();

    /// <summary>
    /// The upstream model id (it goes in the URL, not the body). Only used to know whether the model may
    /// turn thinking off: Gemini 2.5 Pro and Gemini 3 models cannot, so a request with reasoning disabled
    /// gets the smallest budget instead of 0. Null = assume it can.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>
    /// Signature put on the first <c>functionCall</c> of a model turn that has none (tool calls another
    /// provider made, or a client that dropped the signature), so Gemini 3 accepts the history; default
    /// <see cref="GeminiDialect.SkipThoughtSignatureValidator"/>. Null = send such calls unsigned.
    /// </summary>
    public string? MissingSignaturePlaceholder { get; init; } = GeminiDialect.SkipThoughtSignatureValidator;
}
