using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Translation.Json;

/// <summary>Shared <see cref="Utf8JsonWriter"/> settings and helpers for every dialect writer.</summary>
internal static class WireWriting
{
    /// <summary>
    /// Compact output, and relaxed escaping so text goes out as the providers send it (<c>I'm</c>, not
    /// <c>I\u0027m</c>; UTF-8, not <c>\uXXXX</c>). The HTML-safe default exists for embedding JSON in
    /// pages, which API bodies never are.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    public static void WriteExtensions(Utf8JsonWriter writer, ImmutableArray<ExtensionField> fields)
    {
        foreach (var field in fields)
        {
            writer.WritePropertyName(field.Name);
            field.Value.WriteTo(writer);
        }
    }

    /// <summary>Writes <c>data:{mediaType};base64,{data}</c> as one JSON string without building it
    /// in memory first.</summary>
    public static void WriteDataUrl(Utf8JsonWriter writer, string mediaType, string data)
    {
        writer.WriteStringValueSegment("data:".AsSpan(), isFinalSegment: false);
        writer.WriteStringValueSegment(mediaType.AsSpan(), isFinalSegment: false);
        writer.WriteStringValueSegment(";base64,".AsSpan(), isFinalSegment: false);
        writer.WriteStringValueSegment(data.AsSpan(), isFinalSegment: true);
    }

    public static void WriteCacheControl(Utf8JsonWriter writer, CacheControl? cacheControl)
    {
        if (cacheControl is null)
        {
            return;
        }
        writer.WriteStartObject("cache_control"u8);
        writer.WriteString("type"u8, cacheControl.Type);
        if (cacheControl.Ttl is not null)
        {
            writer.WriteString("ttl"u8, cacheControl.Ttl);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes with a fresh writer into <paramref name="output"/>.</summary>
    public static void WriteTo<TState>(IBufferWriter<byte> output, TState state, Action<Utf8JsonWriter, TState> write)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        write(writer, state);
        writer.Flush();
    }
}
