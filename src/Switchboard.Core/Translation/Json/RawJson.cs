using System.Buffers;
using System.Text.Json;

namespace Switchboard.Translation.Json;

/// <summary>Standalone <see cref="JsonElement"/> values for members a reader keeps raw but read typed.</summary>
internal static class RawJson
{
    public static JsonElement String(string value)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, WireWriting.WriterOptions))
        {
            writer.WriteStringValue(value);
        }
        return Parse(buffer.WrittenSpan);
    }

    public static JsonElement Number(long value)
    {
        var buffer = new ArrayBufferWriter<byte>(24);
        using (var writer = new Utf8JsonWriter(buffer, WireWriting.WriterOptions))
        {
            writer.WriteNumberValue(value);
        }
        return Parse(buffer.WrittenSpan);
    }

    private static JsonElement Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return JsonElement.ParseValue(ref reader);
    }
}
