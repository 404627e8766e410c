using Switchboard.Dialects;
using System.Buffers;
using Microsoft.AspNetCore.Http;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Providers.Anthropic;

namespace Switchboard.Providers.Anthropic;

/// <summary>Anthropic Messages as a client dialect (<c>POST /v1/messages</c>: Claude Code, the Anthropic SDKs).</summary>
public sealed class AnthropicClientDialect : IClientDialect
{
    public static readonly AnthropicClientDialect Instance = new();

    public string Wire => Wires.AnthropicMessages;

    public ReadResult<ChatRequest> ReadRequest(ReadOnlySpan<byte> json) => AnthropicMessagesRequestReader.Read(json);

    public void WriteResponse(ChatResponse response, ChatRequest request, IBufferWriter<byte> output) => AnthropicMessagesResponseWriter.Write(response, output);

    public IClientStreamWriter CreateStreamWriter(ChatRequest request) => new StreamWriter(new AnthropicMessagesStreamWriter());

    public Task WriteErrorAsync(HttpResponse response, GatewayError error) =>
        response.HasStarted
            ? Task.CompletedTask
            : ErrorResponses.WriteAsync(response, error, AnthropicErrorWriter.ToUtf8Bytes(TypeOf(error), error.Message, RequestIds.Get(response.HttpContext)));

    public void WriteStreamError(GatewayError error, IBufferWriter<byte> output)
    {
        output.Write("event: error\ndata: "u8);
        AnthropicErrorWriter.Write(output, TypeOf(error), error.Message);
        output.Write("\n\n"u8);
    }

    /// <summary>Anthropic's error type for the status (its SDKs pick exception classes by status and type).</summary>
    private static string TypeOf(GatewayError error) => AnthropicErrorTypes.ForStatus(error.Status);

    private sealed class StreamWriter(AnthropicMessagesStreamWriter writer) : IClientStreamWriter
    {
        public void Write(List<StreamEvent> events, IBufferWriter<byte> output) => writer.Write(events, output);

        public void Finish(IBufferWriter<byte> output) => writer.Complete(output);

        public void Dispose() => writer.Dispose();
    }
}
