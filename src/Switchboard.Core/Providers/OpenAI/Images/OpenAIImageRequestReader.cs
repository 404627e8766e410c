using System.Collections.Frozen;
using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Images;

/// <summary>
/// Reads an OpenAI <c>POST /v1/images/generations</c> body (already checked to be a JSON object with <c>model</c> and
/// <c>prompt</c>). Values are type-checked only: which sizes or qualities a model takes is the upstream's to say (a
/// relayed request) or the translating writer's (a request for another API), so new values are never refused here.
/// </summary>
public static class OpenAIImageRequestReader
{
    /// <summary>Every member of the OpenAI schema (<c>CreateImageRequest</c>).</summary>
    private static readonly FrozenSet<string> Known = FrozenSet.ToFrozenSet(
    [
        "model", "prompt", "n", "size", "quality", "response_format", "output_format", "output_compression", "background",
        "style", "moderation", "stream", "partial_images", "user",
    ], StringComparer.Ordinal);

    /// <param name="json">The request body.</param>
    /// <param name="refuseUnknown">True when the request is translated: a member the gateway does not know could not be
    /// carried to the other API, so it is refused by name rather than dropped.</param>
    public static ReadResult<ImageGenerationRequest> Read(ReadOnlySpan<byte> json, bool refuseUnknown)
    {
        JsonDocument doc;
        try
        {
            // The depth the request head accepted (OpenAIRequestHead): a deeply nested unknown member is the client's 400, not a crash.
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            return new ValidationError(null, $"The request body is not valid JSON: {ex.Message}", ValidationError.InvalidJson);
        }
        using var owned = doc;
        var root = doc.RootElement;
        string? prompt = null, size = null, quality = null, responseFormat = null, outputFormat = null, background = null, style = null, moderation = null, user = null;
        int n = 1;
        int? compression = null, partial = null;
        var stream = false;
        foreach (var member in root.EnumerateObject())
        {
            var value = member.Value;
            var name = member.Name;
            if (!Known.Contains(name))
            {
                if (refuseUnknown) return new ValidationError(name, $"Unrecognized request argument supplied: {name}", "unknown_parameter");
                continue;
            }
            if (value.ValueKind == JsonValueKind.Null || name == "model") continue;
            ValidationError? error = null;
            switch (name)
            {
                case "prompt": error = Text(value, name, out prompt); break;
                case "size": error = Text(value, name, out size); break;
                case "quality": error = Text(value, name, out quality); break;
                case "response_format": error = Text(value, name, out responseFormat); break;
                case "output_format": error = Text(value, name, out outputFormat); break;
                case "background": error = Text(value, name, out background); break;
                case "style": error = Text(value, name, out style); break;
                case "moderation": error = Text(value, name, out moderation); break;
                case "user": error = Text(value, name, out user); break;
                case "n": error = Whole(value, name, 1, 10, out n); break;
                case "output_compression": error = Whole(value, name, 0, 100, out var c); compression = c; break;
                case "partial_images": error = Whole(value, name, 0, 3, out var p); partial = p; break;
                case "stream":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) error = new ValidationError(name, "'stream' must be a boolean.", ValidationError.InvalidType);
                    else stream = value.GetBoolean();
                    break;
            }
            if (error is not null) return error;
        }
        if (string.IsNullOrEmpty(prompt)) return new ValidationError("prompt", "Missing required parameter: 'prompt'.", ValidationError.MissingRequiredParameter);
        return new ImageGenerationRequest
        {
            Prompt = prompt,
            N = n,
            Size = size,
            Quality = quality,
            ResponseFormat = responseFormat,
            OutputFormat = outputFormat,
            OutputCompression = compression,
            Background = background,
            Style = style,
            Moderation = moderation,
            Stream = stream,
            PartialImages = partial,
            User = user,
        };
    }

    private static ValidationError? Text(JsonElement value, string name, out string? text)
    {
        text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is null ? new ValidationError(name, $"Invalid type for '{name}': expected a string.", ValidationError.InvalidType) : null;
    }

    private static ValidationError? Whole(JsonElement value, string name, int min, int max, out int number)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out number))
        {
            number = 0;
            return new ValidationError(name, $"Invalid type for '{name}': expected an integer.", ValidationError.InvalidType);
        }
        return number < min || number > max
            ? new ValidationError(name, $"Invalid '{name}': {number} is out of range ({min} to {max}).")
            : null;
    }
}
