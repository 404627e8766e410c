using System.Buffers;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The Gemini API as a client dialect (Gemini CLI, the Google Gen AI SDKs). The body does not say the model or
/// whether to stream (the URL does), so there is one instance per method: <see cref="Generate"/>,
/// <see cref="StreamSse"/> (<c>?alt=sse</c>) and <see cref="StreamJsonArray"/> (a stream as one JSON array).
/// The first two relay to Gemini upstreams untranslated; the array form has a wire of its own, so every upstream's
/// answer is translated into it.
/// </summary>
public sealed class GeminiClientDialect : IClientDialect
{
    public static readonly GeminiClientDialect Generate = new(stream: false, jsonArray: false);
    public static readonly GeminiClientDialect StreamSse = new(stream: true, jsonArray: false);
    public static readonly GeminiClientDialect StreamJsonArray = new(stream: true, jsonArray: true);

    /// <summary>The wire of <see cref="StreamJsonArray"/>: no upstream speaks it, so it is always translated.</summary>
    public const string JsonArrayWire = "gemini-json-array";

    private readonly bool _stream;
    private readonly bool _jsonArray;

    private GeminiClientDialect(bool stream, bool jsonArray)
    {
        _stream = stream;
        _jsonArray = jsonArray;
    }

    public bool IsStream => _stream;

    public string Wire => _jsonArray ? JsonArrayWire : Wires.Gemini;

    /// <summary>The model is the URL's; the request head (<see cref="GeminiRequestHead"/>) has checked it.</summary>
    public ReadResult<ChatRequest> ReadRequest(ReadOnlySpan<byte> json) => GeminiRequestReader.Read(json, "", _stream);

    public void WriteResponse(ChatResponse response, ChatRequest request, IBufferWriter<byte> output) => GeminiResponseWriter.Write(response, output);

    public IClientStreamWriter CreateStreamWriter(ChatRequest request) => new StreamWriter(new GeminiStreamWriter(_jsonArray));

    public Task WriteErrorAsync(HttpResponse response, GatewayError error) =>
        response.HasStarted ? Task.CompletedTask : ErrorResponses.WriteAsync(response, error, GeminiErrorWriter.ToUtf8Bytes(error.Status, error.Message));

    /// <summary>A failed SSE stream ends with a <c>data:</c> frame holding Google's error object (what Gemini itself sends).</summary>
    public void WriteStreamError(GatewayError error, IBufferWriter<byte> output)
    {
        if (!_jsonArray) output.Write("data: "u8);
        else output.Write(",\r\n"u8);
        GeminiErrorWriter.Write(output, error.Status, error.Message);
        output.Write(_jsonArray ? "]"u8 : "\r\n\r\n"u8);
    }

    private sealed class StreamWriter(GeminiStreamWriter writer) : IClientStreamWriter
    {
        public void Write(List<StreamEvent> events, IBufferWriter<byte> output) => writer.Write(events, output);

        public void Finish(IBufferWriter<byte> output) => writer.Complete(output);

        public bool TryFail(GatewayError error, IBufferWriter<byte> output)
        {
            writer.Fail(output, error.Status, error.Message);
            return true;
        }

        public void Dispose() => writer.Dispose();
    }
}
