using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>OpenAI's Responses API as a client dialect (<c>POST /v1/responses</c>: Codex CLI, the OpenAI SDKs' <c>responses</c>).</summary>
public sealed class ResponsesClientDialect : IClientDialect
{
    public static readonly ResponsesClientDialect Instance = new();

    public string Wire => Wires.OpenAIResponses;

    public ReadResult<ChatRequest> ReadRequest(ReadOnlySpan<byte> json) => ResponsesRequestReader.Read(json);

    public void WriteResponse(ChatResponse response, ChatRequest request, IBufferWriter<byte> output) =>
        ResponsesResponseWriter.Write(response, request, output);

    public IClientStreamWriter CreateStreamWriter(ChatRequest request) => new ResponsesStreamWriter(request);

    public Task WriteErrorAsync(HttpResponse response, GatewayError error) => ErrorResponses.WriteOpenAIAsync(response, error);

    /// <summary>An <c>error</c> event, as the Responses API ends a stream it cannot finish.</summary>
    public void WriteStreamError(GatewayError error, IBufferWriter<byte> output) => WriteErrorEvent(error, null, output);

    /// <summary>An <c>error</c> event numbered <paramref name="sequenceNumber"/> (none when the stream's numbering is unknown).</summary>
    public static void WriteErrorEvent(GatewayError error, long? sequenceNumber, IBufferWriter<byte> output)
    {
        output.Write("event: error\ndata: "u8);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "error"u8);
            if (sequenceNumber is { } sequence) json.WriteNumber("sequence_number"u8, sequence);
            WriteErrorMembers(json, error.Type, error.Code, error.Message, error.Param);
            json.WriteEndObject();
        }
        output.Write("\n\n"u8);
    }

    /// <summary>
    /// An <c>error</c> event's members: the schema's flat code/message/param and the nested error object the live API
    /// also sends (a missing type is <c>server_error</c>; a missing code is the type).
    /// </summary>
    internal static void WriteErrorMembers(Utf8JsonWriter json, string? type, string? code, string message, string? param)
    {
        type ??= "server_error";
        code ??= type;
        json.WriteString("code"u8, code);
        json.WriteString("message"u8, message);
        json.WriteString("param"u8, param);
        json.WriteStartObject("error"u8);
        json.WriteString("type"u8, type);
        json.WriteString("code"u8, code);
        json.WriteString("message"u8, message);
        json.WriteString("param"u8, param);
        json.WriteEndObject();
    }
}
