using System.Buffers;
using Microsoft.AspNetCore.Http;
using Switchboard.Errors;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Dialects;

/// <summary>
/// A client-facing API dialect (OpenAI Chat Completions, Anthropic Messages): how its requests are read into the
/// canonical model and how answers, streams and errors are written back in it. Stateless; one instance per dialect.
/// </summary>
public interface IClientDialect
{
    /// <summary>The wire format (see <c>Providers.Wires</c>); an upstream with the same wire is relayed untranslated.</summary>
    string Wire { get; }

    ReadResult<ChatRequest> ReadRequest(ReadOnlySpan<byte> json);

    /// <summary>Writes a whole answer; <paramref name="request"/> is the client's (some dialects echo it back).</summary>
    void WriteResponse(ChatResponse response, ChatRequest request, IBufferWriter<byte> output);

    IClientStreamWriter CreateStreamWriter(ChatRequest request);

    Task WriteErrorAsync(HttpResponse response, GatewayError error);

    /// <summary>The frame that ends a stream that failed after it started (never a clean end).</summary>
    void WriteStreamError(GatewayError error, IBufferWriter<byte> output);
}

/// <summary>Writes canonical stream events as the client's SSE frames; stateful, one per stream.</summary>
public interface IClientStreamWriter : IDisposable
{
    void Write(List<StreamEvent> events, IBufferWriter<byte> output);

    /// <summary>Ends a complete stream (OpenAI: <c>data: [DONE]</c>).</summary>
    void Finish(IBufferWriter<byte> output);

    /// <summary>
    /// Ends a stream that failed after it started with frames that need this writer's state (Responses: the next
    /// <c>sequence_number</c>, the response so far); false when it has none, and the relay writes the dialect's
    /// stateless <see cref="IClientDialect.WriteStreamError"/> instead.
    /// </summary>
    bool TryFail(GatewayError error, IBufferWriter<byte> output) => false;
}
