using System.Buffers;
using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

internal abstract partial class CapturedResponse
{
    /// <summary>
    /// Server-sent events, scanned as they pass (SSE framing: lines, <c>event:</c> and <c>data:</c> fields, a blank line
    /// ends an event). Only a data line that may belong to a final response event is copied, so a stream's deltas cost a
    /// look at each line's start and nothing more.
    /// </summary>
    private sealed class EventStream(int maxBytes) : CapturedResponse
    {
        private const int MaxNameBytes = 64;
        private static readonly byte[] EventField = "event:"u8.ToArray();
        private static readonly byte[] DataField = "data:"u8.ToArray();

        private readonly ArrayBufferWriter<byte> _line = new();
        private readonly ArrayBufferWriter<byte> _data = new();
        private bool _skipLine;
        private string? _eventName;
        private bool _eventTooLarge;
        private byte[]? _final;

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                var newline = bytes.IndexOf((byte)'\n');
                Feed(newline < 0 ? bytes : bytes[..newline]);
                if (newline < 0) return;
                EndLine();
                bytes = bytes[(newline + 1)..];
            }
        }

        public override ResponseObject? TakeResponse() => _final is null ? null : ResponseObject.ReadMember(_final);

        /// <summary>Only while the current event may be a final one (named so, or not named yet).</summary>
        private bool Wanted => _eventName is null || IsFinal(_eventName);

        private static bool IsFinal(string type) => type is ResponsesEventTypes.Completed or ResponsesEventTypes.Incomplete;

        private void Feed(ReadOnlySpan<byte> part)
        {
            if (_skipLine || part.IsEmpty) return;
            _line.Write(part);
            var line = _line.WrittenSpan;
            if (line.Length < DataField.Length + 1) return;
            // Enough of the line to know its field: keep an event name or a wanted data line, drop the rest.
            var limit = line.StartsWith(EventField) ? MaxNameBytes
                : line.StartsWith(DataField) && Wanted && !_eventTooLarge ? maxBytes
                : 0;
            if (line.Length <= limit) return;
            if (limit == maxBytes) _eventTooLarge = true;
            _skipLine = true;
            _line.Clear();
        }

        private void EndLine()
        {
            var line = _line.WrittenSpan;
            if (line.EndsWith("\r"u8)) line = line[..^1];
            if (line.IsEmpty && !_skipLine) EndEvent();
            else if (line.StartsWith(EventField)) _eventName = System.Text.Encoding.UTF8.GetString(Value(line, EventField.Length));
            else if (line.StartsWith(DataField) && Wanted && !_eventTooLarge)
            {
                if (_data.WrittenCount > 0) _data.Write("\n"u8);
                _data.Write(Value(line, DataField.Length));
                if (_data.WrittenCount > maxBytes) _eventTooLarge = true;
            }
            _line.Clear();
            _skipLine = false;
        }

        private void EndEvent()
        {
            if (!_eventTooLarge && _data.WrittenCount > 0 && (_eventName is null ? IsFinal(TypeOf(_data.WrittenSpan)) : IsFinal(_eventName)))
            {
                _final = _data.WrittenSpan.ToArray();
            }
            _data.Clear();
            _eventName = null;
            _eventTooLarge = false;
        }

        /// <summary>A field's value: after the colon, less one leading space (SSE).</summary>
        private static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> line, int fieldLength)
        {
            var value = line[fieldLength..];
            return value.StartsWith(" "u8) ? value[1..] : value;
        }

        /// <summary>The <c>type</c> of an event without an <c>event:</c> line, read from its data.</summary>
        private static string TypeOf(ReadOnlySpan<byte> data)
        {
            try
            {
                var reader = new Utf8JsonReader(data);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "";
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = reader.ValueTextEquals("type"u8);
                    reader.Read();
                    if (isType) return reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
                    reader.Skip();
                }
            }
            catch (JsonException) { }
            return "";
        }
    }
}
