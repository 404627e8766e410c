using System.Collections.Frozen;
using System.Text.Json;
using static Switchboard.MockUpstream.ChatRequestValidator;

namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// Rejects <c>POST /v1/responses</c> requests the way the real API does. Order: model present, unknown top-level
/// parameters, input items (<see cref="InputValidator"/>), scalars, tools and tool_choice, text.format, model known,
/// then the cross-field rules (call/output pairing, json_object needs the word json).
/// </summary>
internal static class ResponsesValidator
{
    /// <summary>Top-level properties of CreateResponse (with its allOf parents) in the OpenAPI spec.</summary>
    internal static readonly string[] KnownParameters =
    [
        "background", "context_management", "conversation", "include", "input", "instructions", "max_output_tokens",
        "max_tool_calls", "metadata", "model", "moderation", "parallel_tool_calls", "previous_response_id", "prompt",
        "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning", "safety_identifier",
        "service_tier", "store", "stream", "stream_options", "temperature", "text", "tool_choice", "tools",
        "top_logprobs", "top_p", "truncation", "user",
    ];

    /// <summary>Accepted by the API though not in the spec: Codex CLI sends it on every request.</summary>
    internal const string ClientMetadata = "client_metadata";

    private static readonly FrozenSet<string> Known = KnownParameters.Append(ClientMetadata).ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] Truncations = ["auto", "disabled"];
    private static readonly string[] ServiceTiers = ["auto", "default", "flex", "scale", "priority"];
    private static readonly string[] Efforts = ["none", "minimal", "low", "medium", "high", "xhigh"];
    private static readonly string[] Summaries = ["auto", "concise", "detailed"];
    private static readonly string[] Verbosities = ["low", "medium", "high"];
    private static readonly string[] FormatTypes = ["text", "json_schema", "json_object"];

    public static ApiError? Validate(JsonElement root, string? azureDeployment, out ResponsesRequest? request)
    {
        request = null;
        var error = CheckModelAndMembers(root, out string model);
        if (error is not null)
        {
            return error;
        }
        var chat = new ChatRequest { Model = azureDeployment ?? model };
        var req = new ResponsesRequest { Chat = chat };
        error = InputValidator.Check(root, req)
            ?? CheckScalars(root, req)
            ?? ResponsesToolsValidator.Check(root, req)
            ?? CheckText(root, req)
            ?? CheckModel(chat.Model, azureDeployment is not null)
            ?? InputValidator.CheckPairing(root, req)
            ?? CheckJsonMode(req);
        if (error is null)
        {
            request = req;
        }
        return error;
    }

    private static ApiError? CheckModelAndMembers(JsonElement root, out string model)
    {
        model = "";
        if (!JsonShape.TryGetNonNull(root, "model", out var m))
        {
            return OpenAIErrors.MissingRequired("model");
        }
        if (m.ValueKind != JsonValueKind.String)
        {
            return OpenAIErrors.InvalidType("model", "a string", m);
        }
        model = m.GetString()!;
        foreach (var prop in root.EnumerateObject())
        {
            if (!Known.Contains(prop.Name))
            {
                return ResponsesErrors.UnknownParameter(prop.Name);
            }
        }
        return null;
    }

    private static ApiError? CheckModel(string model, bool azure)
    {
        var info = ModelCatalog.Find(model);
        if (info is not null && info.Kind != ModelKind.Embedding)
        {
            return null;
        }
        return azure ? AzureErrors.DeploymentNotFound() : ResponsesErrors.ModelNotFound(model);
    }

    private static ApiError? CheckScalars(JsonElement root, ResponsesRequest req)
    {
        var error = CheckBool(root, "stream", out _)
            ?? CheckBool(root, "store", out _)
            ?? CheckBool(root, "background", out _)
            ?? CheckBool(root, "parallel_tool_calls", out _)
            ?? CheckNumber(root, "temperature", 0, 2)
            ?? CheckNumber(root, "top_p", 0, 1)
            ?? CheckInteger(root, "max_output_tokens", 16, int.MaxValue, out _)
            ?? CheckInteger(root, "top_logprobs", 0, 20, out _)
            ?? CheckInteger(root, "max_tool_calls", 1, int.MaxValue, out _)
            ?? CheckEnum(root, "truncation", Truncations)
            ?? CheckEnum(root, "service_tier", ServiceTiers)
            ?? CheckStrings(root, "previous_response_id", "instructions", "user", "prompt_cache_key", "safety_identifier")
            ?? CheckObject(root, "metadata")
            ?? CheckReasoning(root);
        if (error is not null)
        {
            return error;
        }
        bool stream = JsonShape.TryGet(root, "stream", out var st) && st.ValueKind == JsonValueKind.True;
        if (JsonShape.TryGetNonNull(root, "stream_options", out _) && !stream)
        {
            return OpenAIErrors.Invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
        }
        req.Chat.Stream = stream;
        req.Chat.ParallelToolCalls = !(JsonShape.TryGet(root, "parallel_tool_calls", out var pt) && pt.ValueKind == JsonValueKind.False);
        req.Chat.MaxTokens = JsonShape.TryGetNonNull(root, "max_output_tokens", out var mt) ? mt.GetInt32() : null;
        req.Store = !(JsonShape.TryGet(root, "store", out var so) && so.ValueKind == JsonValueKind.False);
        req.PreviousResponseId = JsonShape.GetString(root, "previous_response_id");
        req.Background = JsonShape.TryGet(root, "background", out var bg) && bg.ValueKind == JsonValueKind.True;
        req.Temperature = JsonShape.TryGetNonNull(root, "temperature", out var t) ? t.GetDouble() : 1;
        req.TopP = JsonShape.TryGetNonNull(root, "top_p", out var p) ? p.GetDouble() : 1;
        req.Instructions = JsonShape.TryGetNonNull(root, "instructions", out var i) ? i : null;
        req.Metadata = JsonShape.TryGetNonNull(root, "metadata", out var md) ? md : null;
        req.Reasoning = JsonShape.TryGetNonNull(root, "reasoning", out var r) ? r : null;
        return null;
    }

    private static ApiError? CheckStrings(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            if (JsonShape.TryGetNonNull(root, name, out var v) && v.ValueKind != JsonValueKind.String)
            {
                return OpenAIErrors.InvalidType(name, "a string", v);
            }
        }
        return null;
    }

    private static ApiError? CheckObject(JsonElement root, string name) =>
        JsonShape.TryGetNonNull(root, name, out var v) && v.ValueKind != JsonValueKind.Object ? OpenAIErrors.InvalidType(name, "an object", v) : null;

    private static ApiError? CheckReasoning(JsonElement root)
    {
        if (!JsonShape.TryGetNonNull(root, "reasoning", out var reasoning))
        {
            return null;
        }
        if (reasoning.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType("reasoning", "an object", reasoning);
        }
        var error = Members(reasoning, "reasoning", ["effort", "summary", "generate_summary", "context", "mode"])
            ?? CheckEnum(reasoning, "effort", Efforts)
            ?? CheckEnum(reasoning, "summary", Summaries);
        return error is null ? null : Nest(error, "reasoning");
    }

    private static ApiError? CheckText(JsonElement root, ResponsesRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "text", out var text))
        {
            return null;
        }
        if (text.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType("text", "an object", text);
        }
        req.Text = text;
        if (Members(text, "text", ["format", "verbosity"]) is { } unknown)
        {
            return unknown;
        }
        if (CheckEnum(text, "verbosity", Verbosities) is { } v)
        {
            return Nest(v, "text");
        }
        string? type = "text";
        if (JsonShape.TryGetNonNull(text, "format", out var format) && RequireTypedObject(format, "text.format", out type) is { } te)
        {
            return te;
        }
        switch (type)
        {
            case "text":
                return format.ValueKind == JsonValueKind.Object ? Members(format, "text.format", ["type"]) : null;
            case "json_object":
                req.Chat.ResponseFormat = ResponseFormatKind.JsonObject;
                return Members(format, "text.format", ["type"]);
            case "json_schema":
                break;
            default:
                return OpenAIErrors.InvalidValue("text.format.type", type!, FormatTypes);
        }
        // The schema sits flat in text.format (chat nests it in response_format.json_schema): the nested form is refused.
        if (RequireString(format, "name", "text.format", out _) is { } ne)
        {
            return ne;
        }
        if (RequireMember(format, "schema", "text.format", JsonValueKind.Object, "an object", out var schema) is { } se)
        {
            return se;
        }
        req.Chat.ResponseFormat = ResponseFormatKind.JsonSchema;
        req.Chat.JsonSchema = schema;
        return Members(format, "text.format", ["type", "name", "schema", "strict", "description"]);
    }

    private static ApiError? CheckJsonMode(ResponsesRequest req)
    {
        if (req.Chat.ResponseFormat != ResponseFormatKind.JsonObject)
        {
            return null;
        }
        bool mentioned = req.Chat.Messages.Exists(m => m.Text.Contains("json", StringComparison.OrdinalIgnoreCase))
            || (req.Instructions is { ValueKind: JsonValueKind.String } i && i.GetString()!.Contains("json", StringComparison.OrdinalIgnoreCase));
        return mentioned ? null : ResponsesErrors.JsonWordMissing();
    }

    /// <summary>The first member of <paramref name="obj"/> not in <paramref name="allowed"/>, as the API's unknown_parameter.</summary>
    internal static ApiError? Members(JsonElement obj, string at, ReadOnlySpan<string> allowed)
    {
        foreach (var prop in obj.EnumerateObject())
        {
            if (!allowed.Contains(prop.Name))
            {
                return ResponsesErrors.UnknownParameter($"{at}.{prop.Name}");
            }
        }
        return null;
    }

    /// <summary>A scalar check made on a nested object reports the member's full path, as the API does.</summary>
    internal static ApiError Nest(ApiError error, string at) => error.Param is { } p
        ? error with { Param = $"{at}.{p}", Message = error.Message.Replace($"'{p}'", $"'{at}.{p}'", StringComparison.Ordinal) }
        : error;
}
