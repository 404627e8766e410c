using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Errors in Google's shape, <c>{"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}</c>: the Google
/// Gen AI SDKs and Gemini CLI read <c>code</c> and <c>status</c> (and retry 429 and 5xx).
/// </summary>
public static class GeminiErrorWriter
{
    public static void Write(IBufferWriter<byte> output, int status, string message)
    {
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, status);
        writer.WriteString("message"u8, message);
        writer.WriteString("status"u8, StatusName(status));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static byte[] ToUtf8Bytes(int status, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(96 + message.Length);
        Write(buffer, status, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The google.rpc status name Google's APIs give each HTTP status.</summary>
    public static string StatusName(int status) => status switch
    {
        400 or 413 or 415 or 422 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        405 or 501 => "UNIMPLEMENTED",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ when status >= 500 => "INTERNAL",
        _ => "FAILED_PRECONDITION",
    };
}
