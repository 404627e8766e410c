using System.Buffers;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// Keeps, of the bytes sent to a client, only the final response object: the whole body of a JSON answer, or, of an
/// event stream, the data of its last <c>response.completed</c> / <c>response.incomplete</c> event (other events are
/// scanned line by line and dropped as they pass). Bounded: past <c>maxBytes</c> nothing is kept.
/// </summary>
internal abstract partial class CapturedResponse
{
    public static CapturedResponse For(string? contentType, int maxBytes) =>
        contentType is not null && contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)
            ? new EventStream(maxBytes)
            : contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                ? new Whole(maxBytes)
                : new Nothing();

    public abstract void Write(ReadOnlySpan<byte> bytes);

    /// <summary>The response object, or null (none seen, not a JSON object with a string <c>id</c>, or larger than the bound).</summary>
    public abstract ResponseObject? TakeResponse();

    /// <summary>A JSON answer: the body is the response object.</summary>
    private sealed class Whole(int maxBytes) : CapturedResponse
    {
        private readonly ArrayBufferWriter<byte> _body = new();
        private bool _tooLarge;

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            if (_tooLarge) return;
            if (_body.WrittenCount + bytes.Length > maxBytes)
            {
                _tooLarge = true;
                _body.Clear();
                return;
            }
            _body.Write(bytes);
        }

        public override ResponseObject? TakeResponse() => _tooLarge ? null : ResponseObject.Read(_body.WrittenMemory);
    }

    /// <summary>Anything else (an error page, say): nothing to keep.</summary>
    private sealed class Nothing : CapturedResponse
    {
        public override void Write(ReadOnlySpan<byte> bytes) { }
        public override ResponseObject? TakeResponse() => null;
    }
}
