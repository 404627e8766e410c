using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Switchboard.Translation.Json;

/// <summary>
/// The frame every wire reader puts around a read: a request or response body, or one stream frame's data, must
/// be one JSON object, and a read that fails (a <see cref="WireFormatException"/> from a member, or the parser's
/// <see cref="JsonException"/>) comes back as a <see cref="ValidationError"/> naming the document (<c>what</c>:
/// "request body", "stream chunk", ...). Messages are built only on the error path.
/// </summary>
internal static class WireDocument
{
    /// <summary>Moves a fresh reader onto the document's opening brace; false, with the error, when the
    /// document is not an object.</summary>
    public static bool TryOpenObject(ref Utf8JsonReader reader, string what, [NotNullWhen(false)] out ValidationError? error)
    {
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            error = null;
            return true;
        }
        error = new ValidationError(null, $"{what} must be a JSON object", ValidationError.InvalidType);
        return false;
    }

    /// <summary>Why a request body cannot be read at all (empty, or not Unicode text), or null.</summary>
    public static ValidationError? CheckRequestBody(ReadOnlySpan<byte> utf8Json) =>
        utf8Json.Trim(" \t\r\n"u8).IsEmpty
            ? new ValidationError(null, "request body is empty", ValidationError.InvalidJson)
            : JsonTextCheck.Check(utf8Json);

    /// <summary>True for the exceptions a read reports as a <see cref="ValidationError"/> (for a <c>catch … when</c>).</summary>
    public static bool IsReadFailure(Exception exception) => exception is WireFormatException or JsonException;

    /// <summary>What a failed read says: the member's own error, or the parser's message.</summary>
    public static ValidationError Explain(Exception exception, string what) => exception is WireFormatException wire
        ? wire.Error
        : new ValidationError(null, $"{what} is not valid JSON: {exception.Message}", ValidationError.InvalidJson);
}
