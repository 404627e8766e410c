using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers;

/// <summary>Names of wire formats. A client dialect and an upstream with the same wire can relay bytes untranslated.</summary>
public static class Wires
{
    public const string OpenAIChat = "openai-chat";
    public const string AnthropicMessages = "anthropic-messages";
    public const string Gemini = "gemini";
    /// <summary>OpenAI's Responses API (<c>POST /v1/responses</c>).</summary>
    public const string OpenAIResponses = "openai-responses";
}

/// <summary>How a request whose client speaks the upstream's own wire is relayed untranslated (bytes both ways).</summary>
public enum PassthroughRelay
{
    /// <summary>
    /// The upstream's stream reader watches every forwarded event for usage, the end and errors; nothing is added to
    /// the request or hidden from the client.
    /// </summary>
    Observed,

    /// <summary>
    /// The wire streams usage only when asked (OpenAI's <c>stream_options.include_usage</c>): the request asks for it,
    /// a byte scan reads it (and the answer's end and errors) from the forwarded chunks, and the usage chunk is hidden
    /// from a client that did not ask.
    /// </summary>
    UsageOnRequest,
}

/// <summary>
/// How to talk to one upstream for chat: its URL and credentials, and its wire format in both directions
/// (canonical request → its body; its answers, streams and errors → canonical). One instance per configured provider.
/// </summary>
public interface IUpstreamProtocol
{
    /// <summary>One of <see cref="Wires"/>.</summary>
    string Wire { get; }

    /// <summary>How a client speaking this same wire is relayed untranslated.</summary>
    PassthroughRelay Passthrough => PassthroughRelay.Observed;

    Uri ChatUri(string upstreamModel, bool stream);

    /// <summary>Adds the provider's own credentials and required protocol headers (never the client's key).</summary>
    void Authorize(HttpRequestHeaders headers);

    /// <summary>Writes the upstream body; returns an error when the upstream cannot express the request.</summary>
    ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body);

    /// <summary>Writes the upstream body as <see cref="WriteChatBody(ChatRequest, string, IBufferWriter{byte})"/>, noting
    /// in <paramref name="adjustments"/> each field the upstream model cannot take as sent and that was adapted or left out.</summary>
    ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body, RequestAdjustments adjustments) =>
        WriteChatBody(request, upstreamModel, body);

    ReadResult<ChatResponse> ReadChatResponse(ReadOnlySpan<byte> json, ChatRequest request);

    /// <summary>
    /// The usage of a whole answer relayed untranslated; null when it has none.
    /// By default the answer is read whole; a wire whose usage a byte scan can find overrides this.
    /// </summary>
    Usage.TokenUsage? ReadPassthroughUsage(ReadOnlySpan<byte> json) =>
        ReadChatResponse(json, NoRequest).Value?.Usage is { } usage ? Usage.UsageConversion.ToTokenUsage(usage) : null;

    /// <summary>The request passed to <see cref="ReadChatResponse"/> when only the answer's usage is wanted.</summary>
    protected static readonly ChatRequest NoRequest = new() { Model = "" };

    IUpstreamStreamReader CreateStreamReader(ChatRequest? request);

    /// <summary>What an error body says, in the provider's own shape; null when it cannot be read.</summary>
    UpstreamErrorInfo? ReadError(ReadOnlySpan<byte> body);

    /// <summary>What this wire needs to know about one deployment; called once per deployment when a runtime is built.</summary>
    DeploymentWire DescribeDeployment(Config.DeploymentConfig deployment) => DeploymentWire.Plain(deployment);
}

/// <summary>Turns one upstream stream's events into canonical events; stateful, one per stream.</summary>
public interface IUpstreamStreamReader
{
    /// <summary>Reads one SSE event (<paramref name="eventName"/> is its <c>event:</c> field, often empty).</summary>
    bool TryRead(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, List<StreamEvent> events, out ValidationError? error);

    /// <summary>True once the stream has said it is finished (a cut stream never is).</summary>
    bool IsComplete { get; }

    /// <summary>At the end of the upstream stream: emits anything held back (e.g. a usage event).</summary>
    void Complete(List<StreamEvent> events);

    /// <summary>
    /// A relayed stream of this wire broke after it started: writes the failure frame that continues it as the
    /// upstream would have (e.g. numbered after its last event) and returns true; false: the client dialect's own.
    /// </summary>
    bool TryWriteRelayedFailure(Errors.GatewayError error, IBufferWriter<byte> output) => false;
}
