using System.Text.Json;
using Switchboard.Http;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Produces the upstream body for an OpenAI-type upstream by splicing the client's bytes: the <c>model</c>
/// value is replaced with the deployment's upstream id, and streams get <c>stream_options.include_usage: true</c>
/// so the gateway always learns the usage. Every other byte is copied as sent (unknown fields pass through,
/// number formatting and key order are kept), which is also the cheapest possible rewrite.
/// </summary>
public static class OpenAIBodyRewriter
{
    // forceUsage: force stream_options.include_usage on streams (OpenAI wire only; other wires report usage unasked
    // and would reject the field).
    public static void Rewrite(ReadOnlySpan<byte> body, in OpenAIRequestHead head, string upstreamModel, PooledBuffer output, bool forceUsage = true) =>
        Rewrite(body, head, EncodeJsonString(upstreamModel), output, forceUsage);

    /// <summary>The same, with the model already encoded as a JSON string literal (see <see cref="EncodeJsonString"/>).</summary>
    public static void Rewrite(ReadOnlySpan<byte> body, in OpenAIRequestHead head, ReadOnlySpan<byte> upstreamModelJson, PooledBuffer output, bool forceUsage = true)
    {
        var modelStart = head.ModelValue.Start.Value;
        var modelEnd = head.ModelValue.End.Value;
        Span<Edit> edits = stackalloc Edit[2];
        var count = 0;
        edits[count++] = new Edit(modelStart, modelEnd, EditKind.Model);
        if (forceUsage && head.Stream && !head.ClientWantsUsage && head.StreamOptionsValue is { } options)
        {
            edits[count++] = new Edit(options.Start.Value, options.End.Value, EditKind.StreamOptions);
        }
        if (count == 2 && edits[1].Start < edits[0].Start) (edits[0], edits[1]) = (edits[1], edits[0]);

        var position = 0;
        foreach (var edit in edits[..count])
        {
            output.Write(body[position..edit.Start]);
            if (edit.Kind == EditKind.Model) output.Write(upstreamModelJson);
            else WriteStreamOptions(output, body[edit.Start..edit.End]);
            position = edit.End;
        }

        if (forceUsage && head.Stream && head.StreamOptionsValue is null)
        {
            output.Write(body[position..head.RootEnd]);
            output.Write(head.HasProperties ? ",\"stream_options\":{\"include_usage\":true}"u8 : "\"stream_options\":{\"include_usage\":true}"u8);
            position = head.RootEnd;
        }
        output.Write(body[position..]);
    }

    /// <summary>Rewrites the client's stream_options object with include_usage forced to true, keeping its other members.</summary>
    private static void WriteStreamOptions(PooledBuffer output, ReadOnlySpan<byte> original)
    {
        using var writer = new Utf8JsonWriter(output);
        var reader = new Utf8JsonReader(original);
        reader.Read(); // StartObject
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isIncludeUsage) continue;
            writer.WritePropertyName(name);
            writer.WriteRawValue(original[start..(int)reader.BytesConsumed], skipInputValidation: true);
        }
        writer.WriteBoolean("include_usage"u8, true);
        writer.WriteEndObject();
    }

    /// <summary><paramref name="value"/> as a quoted, escaped JSON string in UTF-8.</summary>
    public static byte[] EncodeJsonString(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(value.Length + 8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private enum EditKind { Model, StreamOptions }

    private readonly record struct Edit(int Start, int End, EditKind Kind);
}
