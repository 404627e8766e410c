using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>Reads and parses request bodies with the API's content-type and JSON rules.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAllAsync(HttpRequest request, CancellationToken ct)
    {
        PipeReader reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            if (result.IsCompleted || result.IsCanceled)
            {
                byte[] bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            // Consume nothing yet: ask for more until the whole body is buffered.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>
    /// A JSON object body or the API's 400. A missing Content-Type is tolerated (the API parses such bodies);
    /// a different media type is refused.
    /// </summary>
    public static ApiError? Parse(HttpRequest request, byte[] body, out JsonDocument? doc)
    {
        doc = null;
        string? contentType = request.ContentType;
        if (!string.IsNullOrEmpty(contentType) && !IsJson(contentType))
        {
            return OpenAIErrors.UnsupportedContentType(contentType);
        }
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return OpenAIErrors.UnparsableJson();
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            doc = null;
            return OpenAIErrors.UnparsableJson();
        }
        return null;
    }

    /// <summary>The request's model for error messages of injected failures (best effort, null if the body has none).</summary>
    public static string? PeekModel(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return JsonShape.GetString(doc.RootElement, "model");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the body asks for a stream (<c>"stream": true</c>).</summary>
    public static bool PeekStream(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJson(string contentType)
    {
        int semi = contentType.IndexOf(';');
        var media = (semi < 0 ? contentType.AsSpan() : contentType.AsSpan(0, semi)).Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }
}
