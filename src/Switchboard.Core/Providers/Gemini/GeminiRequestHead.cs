using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Errors;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// What the gateway must know of a Gemini request before routing: the model (the URL's <c>{model}</c>), whether it
/// streams (the method), and <c>generationConfig.maxOutputTokens</c> (for token limits); the body is checked to be a
/// JSON object with a <c>contents</c> array. The head has no model range: a Gemini body is relayed as it is.
/// </summary>
public static class GeminiRequestHead
{
    /// <summary>The route value holding the model.</summary>
    public const string ModelRouteValue = "model";

    public static (OpenAIRequestHead Head, GatewayError? Error) Read(HttpContext context, ReadOnlySpan<byte> json, bool stream)
    {
        var model = ModelOf(context);
        if (model.Length == 0) return (default, GatewayError.InvalidRequest("The URL names no model: call /v1beta/models/{model}:generateContent.", "model"));
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (default, GatewayError.InvalidRequest("The request body must be a JSON object (a GenerateContentRequest)."));
            }
            int? maxTokens = null;
            var sawContents = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isContents = reader.ValueTextEquals("contents"u8);
                var isConfig = reader.ValueTextEquals("generationConfig"u8) || reader.ValueTextEquals("generation_config"u8);
                reader.Read();
                if (isContents)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return (default, GatewayError.InvalidRequest("contents: must be an array of Content objects.", "contents"));
                    }
                    sawContents = true;
                }
                else if (isConfig && reader.TokenType == JsonTokenType.StartObject)
                {
                    maxTokens = ReadMaxOutputTokens(ref reader);
                    continue;
                }
                reader.Skip();
            }
            // Reading past the root validates what follows it.
            reader.Read();
            if (!sawContents) return (default, GatewayError.InvalidRequest("contents: is required (the conversation: at least one user turn).", "contents"));
            return (new OpenAIRequestHead { Model = model, Stream = stream, MaxTokens = maxTokens, RootEnd = json.Length }, null);
        }
        catch (JsonException ex)
        {
            return (default, GatewayError.InvalidRequest($"Invalid JSON payload received: {ex.Message}"));
        }
    }

    /// <summary>The model from the URL (percent-escapes undone, a <c>models/</c> prefix dropped).</summary>
    public static string ModelOf(HttpContext context)
    {
        // "id": the OpenAI model route's, which a Google client on /v1/models/{model} also reaches.
        var raw = context.Request.RouteValues[ModelRouteValue] as string ?? context.Request.RouteValues["id"] as string ?? "";
        var model = Uri.UnescapeDataString(raw);
        return model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
    }

    private static int? ReadMaxOutputTokens(ref Utf8JsonReader reader)
    {
        int? max = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1
                && (reader.ValueTextEquals("maxOutputTokens"u8) || reader.ValueTextEquals("max_output_tokens"u8)))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)) max = value;
                continue;
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        }
        return max;
    }
}
