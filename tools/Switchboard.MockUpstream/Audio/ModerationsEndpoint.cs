using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.MockUpstream.Audio;

/// <summary><c>POST /v1/moderations</c>: validated strictly; every input is flagged when it contains "kill", never otherwise.</summary>
internal static class ModerationsEndpoint
{
    private static readonly FrozenSet<string> Known = FrozenSet.ToFrozenSet(["model", "input"]);
    private static readonly string[] Categories = ["harassment", "hate", "illicit", "self-harm", "sexual", "violence"];

    private sealed record ModerationJob(string Model, List<string> Inputs);

    public static Task HandleAsync(ApiRequest api) => ValidatedBody.HandleAsync<ModerationJob>(api, Validate, job =>
        HttpHelpers.WriteJsonAsync(api.Http, 200, job, Write));

    private static ApiError? Validate(JsonElement root, string? azureDeployment, out ModerationJob? job)
    {
        job = null;
        // The API defaults the model to omni-moderation-latest.
        var model = "omni-moderation-latest";
        if (root.TryGetProperty("model", out _) && OpenAIErrors.CheckModelAndMembers(root, azureDeployment, Known, out model) is { } error) return error;
        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name)) return OpenAIErrors.Unrecognized(property.Name);
        }
        if (!JsonShape.TryGetNonNull(root, "input", out var input)) return OpenAIErrors.MissingRequired("input");
        var inputs = new List<string>();
        if (input.ValueKind == JsonValueKind.String) inputs.Add(input.GetString()!);
        else if (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0)
        {
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String) inputs.Add(item.GetString()!);
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.GetString() is "text" or "image_url")
                {
                    inputs.Add(item.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "");
                }
                else return OpenAIErrors.Invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input");
            }
        }
        else return OpenAIErrors.Invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input");
        if (AudioModels.Check(model, AudioModelKind.Moderation, azureDeployment) is { } modelError) return modelError;
        job = new ModerationJob(model, inputs);
        return null;
    }

    private static void Write(Utf8JsonWriter w, ModerationJob job)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, HttpHelpers.NewId("modr-", 24));
        w.WriteString("model"u8, job.Model);
        w.WriteStartArray("results"u8);
        foreach (var input in job.Inputs)
        {
            var violent = input.Contains("kill", StringComparison.OrdinalIgnoreCase);
            w.WriteStartObject();
            w.WriteBoolean("flagged"u8, violent);
            w.WriteStartObject("categories"u8);
            foreach (var c in Categories) w.WriteBoolean(c, violent && c == "violence");
            w.WriteEndObject();
            w.WriteStartObject("category_scores"u8);
            foreach (var c in Categories) w.WriteNumber(c, violent && c == "violence" ? 0.93 : 0.0001);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
