namespace Switchboard.Providers;

/// <summary>
/// An upstream that counts a request's input tokens itself (Anthropic's <c>/v1/messages/count_tokens</c>): a client of
/// the same wire asking to count gets the upstream's own count instead of the gateway's estimate.
/// </summary>
public interface IUpstreamTokenCounter
{
    /// <summary>Where the upstream counts tokens; the body is the client's request in the upstream's wire.</summary>
    Uri CountTokensUri { get; }
}

/// <summary>
/// An upstream of another wire that generates images (Gemini's image models, Imagen): an OpenAI Images client's
/// request is translated to it and its answer back (<see cref="OpenAI.Images.ImageGenerationAttempts"/>).
/// </summary>
public interface IUpstreamImageGenerator
{
    /// <summary>Where the model generates images.</summary>
    Uri ImageGenerationUri(string upstreamModel);

    /// <summary>Writes the upstream body; an error names the request field the upstream cannot express.</summary>
    Translation.ValidationError? WriteImageGeneration(Translation.Canonical.ImageGenerationRequest request, string upstreamModel, System.Buffers.IBufferWriter<byte> body);

    /// <summary>Reads the generated images; an error when the answer holds none (a refusal) or is malformed.</summary>
    Translation.ReadResult<Translation.Canonical.ImageGenerationResult> ReadImageGeneration(ReadOnlySpan<byte> json, string upstreamModel);
}
