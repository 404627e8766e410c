using Switchboard.Dialects;
using System.Buffers;
using Microsoft.AspNetCore.Http;
using Switchboard.Errors;
using Switchboard.Providers;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.OpenAI;

/// <summary>OpenAI Chat Completions as a client dialect (<c>POST /v1/chat/completions</c>).</summary>
public sealed class OpenAIChatClientDialect : IClientDialect
{
    public static readonly OpenAIChatClientDialect Instance = new();

    public string Wire => Wires.OpenAIChat;

    public ReadResult<ChatRequest> ReadRequest(ReadOnlySpan<byte> json) => OpenAIChatRequestReader.Read(json);

    public void WriteResponse(ChatResponse response, ChatRequest request, IBufferWriter<byte> output) => OpenAIChatResponseWriter.Write(response, output);

    public IClientStreamWriter CreateStreamWriter(ChatRequest request) =>
        new StreamWriter(new OpenAIChatStreamWriter(new OpenAIChatStreamWriterOptions { IncludeUsage = request.IncludeUsage == true }));

    public Task WriteErrorAsync(HttpResponse response, GatewayError error) => ErrorResponses.WriteOpenAIAsync(response, error);

    public void WriteStreamError(GatewayError error, IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        output.Write(OpenAIErrorWriter.ToUtf8(error));
        output.Write("\n\n"u8);
    }

    private sealed class StreamWriter(OpenAIChatStreamWriter writer) : IClientStreamWriter
    {
        public void Write(List<StreamEvent> events, IBufferWriter<byte> output) => writer.Write(events, output);

        public void Finish(IBufferWriter<byte> output) => output.Write(OpenAIChatStreamWriter.DoneFrame);

        public void Dispose() => writer.Dispose();
    }
}
