using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// An upstream's own Responses API (<c>POST …/responses</c>), beside its Chat Completions: where the request goes and
/// whose key it carries come from the provider's OpenAI-wire target (OpenAI: <c>{base_url}/responses</c> with a Bearer
/// key; Azure: <c>{base_url}/openai/v1/responses</c> with <c>api-key</c>). A Responses client is relayed to it untranslated;
/// any other client (an <c>api: responses</c> deployment) is translated through the canonical model.
/// </summary>
public sealed class ResponsesUpstreamProtocol(IUpstreamTarget target) : IUpstreamProtocol
{
    public string Wire => Wires.OpenAIResponses;

    /// <summary>Usage comes unasked in <c>response.completed</c> / <c>response.incomplete</c>: nothing is added to the body.</summary>
    public PassthroughRelay Passthrough => PassthroughRelay.Observed;

    public Uri ChatUri(string upstreamModel, bool stream) => target.Responses;

    public void Authorize(HttpRequestHeaders headers) => target.Authorize(headers);

    public ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body) =>
        ResponsesRequestWriter.Write(request, body, upstreamModel);

    public ReadResult<ChatResponse> ReadChatResponse(ReadOnlySpan<byte> json, ChatRequest request) => ResponsesResponseReader.Read(json);

    /// <summary>The top-level <c>usage</c> found by a byte scan: its members are named as the usage reader knows them.</summary>
    public Usage.TokenUsage? ReadPassthroughUsage(ReadOnlySpan<byte> json) => OpenAIUsageReader.UsageOf(json);

    public IUpstreamStreamReader CreateStreamReader(ChatRequest? request) => new ResponsesStreamReader();

    public UpstreamErrorInfo? ReadError(ReadOnlySpan<byte> body) => ResponsesErrorReader.Read(body);
}
