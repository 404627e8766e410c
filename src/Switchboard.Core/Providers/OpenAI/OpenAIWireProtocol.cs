using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The OpenAI Chat Completions wire format, shared by every OpenAI-compatible upstream; subclasses only say where
/// the endpoints are and how to authenticate (OpenAI: Bearer; Azure: api-key and deployment URLs).
/// </summary>
public abstract class OpenAIWireProtocol : IUpstreamProtocol, IUpstreamTarget
{
    public string Wire => Wires.OpenAIChat;

    public PassthroughRelay Passthrough => PassthroughRelay.UsageOnRequest;

    public abstract Uri ChatCompletions(string upstreamModel);
    public abstract Uri Completions(string upstreamModel);
    public abstract Uri Embeddings(string upstreamModel);
    public abstract Uri ImageGenerations(string upstreamModel);
    public abstract Uri Operation(string upstreamModel, string operation);
    public abstract Uri Responses { get; }
    public abstract void Authorize(HttpRequestHeaders headers);

    public Uri ChatUri(string upstreamModel, bool stream) => ChatCompletions(upstreamModel);

    public ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body) =>
        WriteChatBody(request, upstreamModel, body, new RequestAdjustments());

    public ValidationError? WriteChatBody(ChatRequest request, string upstreamModel, IBufferWriter<byte> body, RequestAdjustments adjustments)
    {
        // Always ask for the usage chunk: the gateway must know what a stream cost; the client writer drops it if unasked.
        var upstream = request.IsStreaming ? request with { IncludeUsage = true } : request;
        return OpenAIChatRequestWriter.TryWrite(upstream, body, upstreamModel, adjustments);
    }

    public ReadResult<ChatResponse> ReadChatResponse(ReadOnlySpan<byte> json, ChatRequest request) => OpenAIChatResponseReader.Read(json);

    /// <summary>The top-level <c>usage</c> found by a byte scan.</summary>
    public Usage.TokenUsage? ReadPassthroughUsage(ReadOnlySpan<byte> json) => OpenAIUsageReader.UsageOf(json);

    public IUpstreamStreamReader CreateStreamReader(ChatRequest? request) => new StreamReader();

    public UpstreamErrorInfo? ReadError(ReadOnlySpan<byte> body) => OpenAIErrorBody.Read(body);

    private sealed class StreamReader : IUpstreamStreamReader
    {
        private readonly OpenAIChatStreamReader _reader = new();
        private bool _done, _finished;

        public bool IsComplete => _done || _finished;

        public bool TryRead(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, List<StreamEvent> events, out ValidationError? error)
        {
            error = null;
            if (OpenAIChatStreamReader.IsDone(data))
            {
                _done = true;
                return true;
            }
            var before = events.Count;
            if (!_reader.TryRead(data, events, out error)) return false;
            for (var i = before; i < events.Count; i++)
            {
                if (events[i] is FinishEvent) _finished = true;
            }
            return true;
        }

        public void Complete(List<StreamEvent> events) { }
    }
}

/// <summary>Reads the error bodies OpenAI-compatible servers send (OpenAI, Ollama, vLLM shapes).</summary>
public static class OpenAIErrorBody
{
    public static UpstreamErrorInfo? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            string? message = null, type = null, code = null, param = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) message = reader.GetString();
                    else if (reader.TokenType == JsonTokenType.StartObject) ReadFields(ref reader, ref message, ref type, ref code, ref param);
                    else reader.Skip();
                    continue;
                }
                if (reader.ValueTextEquals("message"u8)) { reader.Read(); message ??= Text(ref reader); continue; }
                if (reader.ValueTextEquals("type"u8)) { reader.Read(); type ??= Text(ref reader); continue; }
                reader.Read();
                reader.Skip();
            }
            return message is null && type is null && code is null ? null : new UpstreamErrorInfo(type, code, message, param, null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ReadFields(ref Utf8JsonReader reader, ref string? message, ref string? type, ref string? code, ref string? param)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8)) { reader.Read(); message = Text(ref reader); }
            else if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = Text(ref reader); }
            else if (reader.ValueTextEquals("code"u8)) { reader.Read(); code = Text(ref reader); }
            else if (reader.ValueTextEquals("param"u8)) { reader.Read(); param = Text(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }
}
