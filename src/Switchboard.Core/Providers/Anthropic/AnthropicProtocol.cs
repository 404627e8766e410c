using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Config;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Providers.Anthropic;

namespace Switchboard.Providers.Anthropic;

/// <summary>Anthropic Messages API: <c>{base_url}/v1/messages</c> with <c>x-api-key</c> and <c>anthropic-version</c>.</summary>
public sealed class AnthropicProtocol(ProviderConfig config) : IUpstreamProtocol, IUpstreamTokenCounter
{
    private readonly Uri _messages = new(config.BaseUrl.AbsoluteUri.TrimEnd('/') + AnthropicMessagesDialect.MessagesPath);
    private readonly Uri _countTokens = new(config.BaseUrl.AbsoluteUri.TrimEnd('/') + AnthropicMessagesDialect.CountTokensPath);

    public string Wire => Wires.AnthropicMessages;

    public Uri ChatUri(string upstreamModel, bool stream) => _messages;

    /// <summary>Anthropic's own token counter (used by <c>/v1/messages/count_tokens</c>).</summary>
    public Uri CountTokensUri => _countTokens;

    public void Authorize(HttpRequestHeaders headers)
    {
        if (!string.IsNullOrEmpty(config.ApiKey)) headers.TryAddWithoutValidation(AnthropicMessagesDialect.ApiKeyHeader, config.ApiKey);
        if (!headers.Contains(AnthropicMessagesDialect.VersionHeader))
        {
            headers.TryAddWithoutValidation(AnthropicMessagesDialect.VersionHeader, AnthropicMessagesDialect.ApiVersion);
        }
    }

    public ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body) =>
        AnthropicMessagesRequestWriter.Write(request, body, upstreamModel);

    public ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body, RequestAdjustments adjustments) =>
        AnthropicMessagesRequestWriter.Write(request, body, upstreamModel, adjustments: adjustments);

    public ReadResult<ChatResponse> ReadChatResponse(ReadOnlySpan<byte> json, ChatRequest request) =>
        AnthropicMessagesResponseReader.Read(json, AnthropicReadOptions.ForRequest(request));

    public IUpstreamStreamReader CreateStreamReader(ChatRequest? request) =>
        new StreamReader(new AnthropicMessagesStreamReader(request is null ? null : AnthropicReadOptions.ForRequest(request)));

    public UpstreamErrorInfo? ReadError(ReadOnlySpan<byte> body) => AnthropicErrorReader.Read(body);

    /// <summary>Claude models that refuse mid-conversation system messages get them folded (see <see cref="ClaudeModelFamilies"/>).</summary>
    public DeploymentWire DescribeDeployment(DeploymentConfig deployment) =>
        DeploymentWire.Plain(deployment) with { FoldsSystemMessages = ClaudeModelFamilies.FoldsSystemMessages(deployment) };

    private sealed class StreamReader(AnthropicMessagesStreamReader reader) : IUpstreamStreamReader
    {
        public bool IsComplete => reader.IsComplete;

        public bool TryRead(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, List<StreamEvent> events, out ValidationError? error) =>
            reader.TryRead(eventName, data, events, out error);

        public void Complete(List<StreamEvent> events) { }
    }
}
