using static Switchboard.Translation.Json.WireReading;
using static Switchboard.Providers.Gemini.GeminiRequestReader;
using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Reads <c>generationConfig</c>: sampling (temperature, topP, topK, seed, penalties), <c>maxOutputTokens</c>,
/// <c>stopSequences</c>, <c>candidateCount</c>, structured output (<c>responseMimeType</c> with
/// <c>responseJsonSchema</c> or Gemini's <c>responseSchema</c>), logprobs and <c>thinkingConfig</c>.
/// </summary>
internal static class GeminiGenerationConfigReader
{
    public static ChatRequest Apply(ChatRequest request, JsonElement config, string path)
    {
        if (config.ValueKind == JsonValueKind.Null) return request;
        ExpectObject(config, path);
        string? mimeType = null;
        JsonElement? schema = null;
        foreach (var member in config.EnumerateObject())
        {
            var value = member.Value;
            var at = Join(path, member.Name);
            if (value.ValueKind == JsonValueKind.Null) continue;
            switch (member.Name)
            {
                case "temperature": request = request with { Temperature = Number(value, at) }; break;
                case "topP" or "top_p": request = request with { TopP = Number(value, at) }; break;
                case "topK" or "top_k": request = request with { TopK = (int)Number(value, at) }; break;
                case "maxOutputTokens" or "max_output_tokens": request = request with { MaxOutputTokens = Integer(value, at) }; break;
                case "candidateCount" or "candidate_count": request = request with { N = Integer(value, at) }; break;
                case "seed": request = request with { Seed = Integer(value, at) }; break;
                case "presencePenalty": request = request with { PresencePenalty = Number(value, at) }; break;
                case "frequencyPenalty": request = request with { FrequencyPenalty = Number(value, at) }; break;
                case "responseLogprobs": request = request with { Logprobs = value.ValueKind == JsonValueKind.True }; break;
                case "logprobs": request = request with { TopLogprobs = Integer(value, at) }; break;
                case "stopSequences" or "stop_sequences":
                    var stops = ImmutableArray.CreateBuilder<string>();
                    foreach (var stop in ExpectArray(value, at))
                    {
                        stops.Add(stop.ValueKind == JsonValueKind.String ? stop.GetString()! : throw WrongType(at, "an array of strings"));
                    }
                    request = request with { StopSequences = stops.ToImmutable() };
                    break;
                case "responseMimeType" or "response_mime_type":
                    mimeType = value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(at, "a string");
                    break;
                case "responseJsonSchema" or "response_json_schema" or "_responseJsonSchema":
                    schema = value;
                    break;
                case "responseSchema" or "response_schema":
                    schema ??= GeminiSchema.ToJsonSchema(ExpectObject(value, at));
                    break;
                case "thinkingConfig" or "thinking_config":
                    request = request with { Reasoning = ReadThinking(ExpectObject(value, at), at) };
                    break;
                default:
                    // responseModalities, speechConfig, mediaResolution, ...: nothing other providers share.
                    break;
            }
        }
        if (mimeType is "application/json")
        {
            request = request with
            {
                ResponseFormat = schema is { } s
                    ? new ResponseFormat(ResponseFormatKind.JsonSchema, new JsonSchemaFormat("response") { Schema = s })
                    : ResponseFormat.JsonObject,
            };
        }
        return request;
    }

    /// <summary><c>thinkingBudget</c> (0: off, -1: dynamic), <c>includeThoughts</c>, <c>thinkingLevel</c> (Gemini 3: low, high).</summary>
    private static ReasoningOptions ReadThinking(JsonElement thinking, string path)
    {
        int? budget = null;
        string? level = null;
        if (thinking.TryGetProperty("thinkingBudget", out var b) && b.ValueKind != JsonValueKind.Null) budget = Integer(b, Join(path, "thinkingBudget"));
        if (OptionalString(thinking, "thinkingLevel", path) is { } l) level = l.ToLowerInvariant();
        var off = budget == 0;
        return new ReasoningOptions
        {
            // includeThoughts alone only asks to see thoughts if the model thinks (Gemini CLI always sends it): it turns
            // no thinking on for a provider where thinking is off by default.
            Enabled = off ? false : budget > 0 || level is not null ? true : null,
            BudgetTokens = budget > 0 ? budget : null,
            Effort = off ? ReasoningEfforts.None : level is ReasoningEfforts.Minimal or ReasoningEfforts.Low or ReasoningEfforts.Medium or ReasoningEfforts.High ? level : null,
        };
    }

    private static double Number(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw WrongType(path, "a number"); // 1e400: no double

    private static int Integer(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw WrongType(path, "an integer");
}
