using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI.Images;

/// <summary>
/// What the gateway meters in an OpenAI Images answer (relayed byte for byte): how many images <c>data</c> holds, the
/// <c>size</c> and <c>quality</c> gpt-image reports (its <c>auto</c> resolved), and <c>usage</c>
/// (<c>input_tokens</c> with <c>input_tokens_details.image_tokens</c>, <c>output_tokens</c>, <c>total_tokens</c>).
/// One forward pass over the bytes; base64 image strings are skipped, never decoded.
/// </summary>
public static class OpenAIImageAnswerReader
{
    /// <summary>The answer's usage; <paramref name="requestSize"/> and <paramref name="requestQuality"/> stand in where it names none.</summary>
    public static TokenUsage Read(ReadOnlySpan<byte> json, string? requestSize, string? requestQuality, out bool usageReported)
    {
        var reader = new Utf8JsonReader(json);
        int images = 0;
        string? size = null, quality = null;
        var usage = new ImageTokens();
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            images++;
                            reader.Skip();
                        }
                    }
                    else reader.Skip();
                }
                else if (reader.ValueTextEquals("size"u8)) size = ReadString(ref reader);
                else if (reader.ValueTextEquals("quality"u8)) quality = ReadString(ref reader);
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    usage = ReadUsage(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        usageReported = usage.Reported;
        return usage.ToTokenUsage(new ImageUsage(images, size ?? requestSize, quality ?? requestQuality, usage.ImageInput));
    }

    /// <summary>Reads a <c>usage</c> object (the reader on its start); also used for the stream's completed event.</summary>
    public static ImageTokens ReadUsage(ref Utf8JsonReader reader)
    {
        var usage = new ImageTokens();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return usage;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = Member(ref reader);
            reader.Read();
            if (member == 4 && reader.TokenType == JsonTokenType.StartObject)
            {
                usage.ImageInput = ReadImageTokens(ref reader);
                continue;
            }
            if (reader.TokenType != JsonTokenType.Number)
            {
                reader.Skip();
                continue;
            }
            var value = reader.GetInt64();
            switch (member)
            {
                case 1: usage.Input = value; usage.Reported = true; break;
                case 2: usage.Output = value; usage.Reported = true; break;
                case 3: usage.Total = value; break;
            }
        }
        return usage;
    }

    private static int Member(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("input_tokens"u8) ? 1 : reader.ValueTextEquals("output_tokens"u8) ? 2 : reader.ValueTextEquals("total_tokens"u8) ? 3
        : reader.ValueTextEquals("input_tokens_details"u8) ? 4 : 0;

    /// <summary><c>input_tokens_details.image_tokens</c> (the reader on the details object's start).</summary>
    private static long ReadImageTokens(ref Utf8JsonReader reader)
    {
        long image = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isImage = reader.ValueTextEquals("image_tokens"u8);
            reader.Read();
            if (isImage && reader.TokenType == JsonTokenType.Number) image = reader.GetInt64();
            else reader.Skip();
        }
        return image;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    /// <summary>Token counts of an Images answer or stream event.</summary>
    public struct ImageTokens
    {
        public long Input { get; set; }
        public long Output { get; set; }
        public long Total { get; set; }
        public long ImageInput { get; set; }
        public bool Reported { get; set; }

        public readonly TokenUsage ToTokenUsage(ImageUsage images) =>
            new(Input, Output, Total > 0 ? Total : Input + Output, 0, 0) { Images = images };
    }
}
