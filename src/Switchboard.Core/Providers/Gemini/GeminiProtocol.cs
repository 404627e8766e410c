using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Config;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Providers.Gemini;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Google Gemini <c>generateContent</c> / <c>streamGenerateContent?alt=sse</c>: the key travels in
/// <c>x-goog-api-key</c> (never in the query string, where URLs end up in logs); the model goes in the URL.
/// </summary>
public sealed class GeminiProtocol(ProviderConfig config) : IUpstreamProtocol, IUpstreamImageGenerator
{
    public string Wire => Wires.Gemini;

    public Uri ChatUri(string upstreamModel, bool stream) => GeminiDialect.RequestUri(config.BaseUrl.AbsoluteUri, upstreamModel, stream);

    public void Authorize(HttpRequestHeaders headers)
    {
        if (!string.IsNullOrEmpty(config.ApiKey)) headers.TryAddWithoutValidation(GeminiDialect.ApiKeyHeader, config.ApiKey);
    }

    public ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body) =>
        GeminiRequestWriter.Write(request, body, new GeminiWriteOptions { Model = upstreamModel });

    public ReadResult<ChatResponse> ReadChatResponse(ReadOnlySpan<byte> json, ChatRequest request) => GeminiResponseReader.Read(json);

    public IUpstreamStreamReader CreateStreamReader(ChatRequest? request) => new StreamReader();

    public UpstreamErrorInfo? ReadError(ReadOnlySpan<byte> body) => GeminiErrorReader.Read(body);

    /// <summary>Imagen: <c>models/{model}:predict</c>; Gemini's image models: <c>generateContent</c>.</summary>
    public Uri ImageGenerationUri(string upstreamModel)
    {
        var generate = ChatUri(upstreamModel, stream: false);
        return GeminiImageRequestWriter.IsImagen(upstreamModel)
            ? new Uri(generate.AbsoluteUri[..^":generateContent".Length] + ":predict")
            : generate;
    }

    public ValidationError? WriteImageGeneration(ImageGenerationRequest request, string upstreamModel, IBufferWriter<byte> body) =>
        GeminiImageRequestWriter.Write(request, upstreamModel, body);

    public ReadResult<ImageGenerationResult> ReadImageGeneration(ReadOnlySpan<byte> json, string upstreamModel) =>
        GeminiImageResponseReader.Read(json, upstreamModel);

    private sealed class StreamReader : IUpstreamStreamReader
    {
        private readonly GeminiStreamReader _reader = new();

        public bool IsComplete => _reader.IsComplete;

        public bool TryRead(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, List<StreamEvent> events, out ValidationError? error) =>
            _reader.TryRead(data, events, out error);

        public void Complete(List<StreamEvent> events) => _reader.Complete(events);
    }
}
