using System.Buffers.Text;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.MockUpstream;

/// <summary>
/// Rejects chat completion requests the way the real API does: same status, message, param and code, so the
/// gateway's request rewriting is tested against the strict upstream rather than a forgiving stand-in.
/// Checks run in the API's order: model presence, unknown arguments, schema (messages, scalars, tools,
/// response_format), model existence, then cross-field rules.
/// </summary>
internal static partial class ChatRequestValidator
{
    /// <summary>Top-level properties of CreateChatCompletionRequest (with its allOf parents) in the OpenAPI spec.</summary>
    internal static readonly string[] KnownParameters =
    [
        "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
        "max_completion_tokens", "max_tokens", "messages", "metadata", "modalities", "model", "moderation", "n",
        "parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options",
        "prompt_cache_retention", "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier",
        "stop", "store", "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p",
        "user", "verbosity", "web_search_options",
    ];

    private static readonly FrozenSet<string> Known = KnownParameters.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] Roles = ["system", "assistant", "user", "function", "tool", "developer"];
    private static readonly string[] AllPartTypes = ["text", "image_url", "input_audio", "refusal", "audio", "file"];
    private static readonly string[] TextOnly = ["text"];
    private static readonly string[] UserPartTypes = ["text", "image_url", "input_audio", "file"];
    private static readonly string[] AssistantPartTypes = ["text", "refusal"];
    private static readonly string[] ToolTypes = ["function", "custom"];
    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];
    private static readonly string[] ToolChoiceTypes = ["function", "custom", "allowed_tools"];
    private static readonly string[] ResponseFormatTypes = ["text", "json_object", "json_schema"];
    private static readonly string[] ServiceTiers = ["auto", "default", "flex", "scale", "priority", "fast"];
    private static readonly string[] ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];
    private static readonly string[] Verbosities = ["low", "medium", "high"];

    // The schema's fields, plus what the live API tolerates because the official SDKs send it: an assistant message
    // echoed back as received carries `annotations`, and LangChain's ToolMessage carries `name`.
    private static readonly FrozenDictionary<string, FrozenSet<string>> MessageKeys = new Dictionary<string, FrozenSet<string>>
    {
        ["system"] = FrozenSet.ToFrozenSet(["role", "content", "name"]),
        ["developer"] = FrozenSet.ToFrozenSet(["role", "content", "name"]),
        ["user"] = FrozenSet.ToFrozenSet(["role", "content", "name"]),
        ["assistant"] = FrozenSet.ToFrozenSet(["role", "content", "refusal", "name", "audio", "tool_calls", "function_call", "annotations"]),
        ["tool"] = FrozenSet.ToFrozenSet(["role", "content", "tool_call_id", "name"]),
        ["function"] = FrozenSet.ToFrozenSet(["role", "content", "name"]),
    }.ToFrozenDictionary();

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^data:image/(png|jpeg|gif|webp);base64,")]
    private static partial Regex DataImagePrefix();

    /// <summary>
    /// Validates a request body; on success the request holds the parsed request. On Azure paths
    /// (<paramref name="azureDeployment"/> set) the deployment names the model and the body's model is ignored.
    /// </summary>
    public static ApiError? Validate(JsonElement root, string? azureDeployment, out ChatRequest? request)
    {
        request = null;
        if (OpenAIErrors.CheckModelAndMembers(root, azureDeployment, Known, out var model) is { } modelOrMemberError)
        {
            return modelOrMemberError;
        }

        var req = new ChatRequest { Model = model };
        var error = CheckMessages(root, req)
            ?? CheckScalars(root, req)
            ?? CheckStreamOptions(root, req)
            ?? CheckTools(root, req)
            ?? CheckResponseFormat(root, req)
            ?? CheckModel(root, model, azureDeployment is not null)
            ?? CheckToolPairing(req)
            ?? CheckJsonMode(req);
        if (error is null)
        {
            request = req;
        }
        return error;
    }

    private static ApiError? CheckModel(JsonElement root, string model, bool azure)
    {
        var info = ModelCatalog.Find(model);
        if (info is null)
        {
            return azure ? AzureErrors.DeploymentNotFound() : OpenAIErrors.ModelNotFound(model);
        }
        if (info.Kind == ModelKind.Embedding)
        {
            return azure ? AzureErrors.OperationNotSupported("chatCompletion", model) : OpenAIErrors.NotAChatModel();
        }
        if (info.Kind == ModelKind.Chat && JsonShape.TryGetNonNull(root, "reasoning_effort", out _))
        {
            // As OpenAI answers for gpt-4o, gpt-4.1 ...: only reasoning models take it.
            return OpenAIErrors.Invalid("Unsupported parameter: 'reasoning_effort' is not supported with this model.", "reasoning_effort", "unsupported_parameter");
        }
        if (info.Kind != ModelKind.Reasoning)
        {
            return null;
        }
        // Reasoning models refuse the sampling knobs they do not have; max_tokens has its own hint.
        if (JsonShape.TryGetNonNull(root, "max_tokens", out _))
        {
            return OpenAIErrors.Invalid(
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                "max_tokens", "unsupported_parameter");
        }
        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p"])
        {
            if (JsonShape.TryGetNonNull(root, name, out var v) && v.GetDouble() != 1.0)
            {
                return OpenAIErrors.Invalid(
                    $"Unsupported value: '{name}' does not support {v.GetRawText()} with this model. Only the default (1) value is supported.",
                    name, "unsupported_value");
            }
        }
        foreach (var name in (ReadOnlySpan<string>)["logprobs", "top_logprobs"])
        {
            if (JsonShape.TryGetNonNull(root, name, out var v) && v.ValueKind != JsonValueKind.False)
            {
                return OpenAIErrors.Invalid($"Unsupported parameter: '{name}' is not supported with this model.", name, "unsupported_parameter");
            }
        }
        return null;
    }

    private static ApiError? CheckMessages(JsonElement root, ChatRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "messages", out var messages))
        {
            return OpenAIErrors.MissingRequired("messages");
        }
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return OpenAIErrors.InvalidType("messages", "an array", messages);
        }
        if (messages.GetArrayLength() == 0)
        {
            return OpenAIErrors.EmptyArray("messages");
        }
        int i = 0;
        foreach (var msg in messages.EnumerateArray())
        {
            var error = CheckMessage(msg, i, req);
            if (error is not null)
            {
                return error;
            }
            i++;
        }
        return null;
    }

    private static ApiError? CheckMessage(JsonElement msg, int i, ChatRequest req)
    {
        string at = $"messages[{i}]";
        if (msg.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType(at, "an object", msg);
        }
        if (!JsonShape.TryGetNonNull(msg, "role", out var roleEl))
        {
            return OpenAIErrors.MissingRequired($"{at}.role");
        }
        if (roleEl.ValueKind != JsonValueKind.String)
        {
            return OpenAIErrors.InvalidType($"{at}.role", "a string", roleEl);
        }
        string role = roleEl.GetString()!;
        if (!MessageKeys.TryGetValue(role, out var allowedKeys))
        {
            return OpenAIErrors.InvalidValue($"{at}.role", role, Roles);
        }
        foreach (var prop in msg.EnumerateObject())
        {
            if (!allowedKeys.Contains(prop.Name))
            {
                return OpenAIErrors.Invalid($"Additional properties are not allowed ('{prop.Name}' was unexpected) - 'messages.{i}'", at);
            }
        }

        var info = new ChatMessageInfo(role);
        ApiError? error = role switch
        {
            "assistant" => CheckAssistant(msg, at, info),
            "tool" => CheckTool(msg, at, info),
            "function" => CheckFunctionMessage(msg, at, info),
            _ => CheckContent(msg, at, role == "user" ? UserPartTypes : TextOnly, required: true, info),
        };
        if (error is null && JsonShape.TryGet(msg, "name", out var name) && name.ValueKind != JsonValueKind.String)
        {
            error = OpenAIErrors.InvalidType($"{at}.name", "a string", name);
        }
        req.Messages.Add(info);
        return error;
    }

    private static ApiError? CheckAssistant(JsonElement msg, string at, ChatMessageInfo info)
    {
        bool hasCalls = JsonShape.TryGetNonNull(msg, "tool_calls", out var calls);
        bool hasFunctionCall = JsonShape.TryGetNonNull(msg, "function_call", out _);
        var error = CheckContent(msg, at, AssistantPartTypes, required: !hasCalls && !hasFunctionCall, info);
        if (error is not null || !hasCalls)
        {
            return error;
        }
        if (calls.ValueKind != JsonValueKind.Array)
        {
            return OpenAIErrors.InvalidType($"{at}.tool_calls", "an array", calls);
        }
        if (calls.GetArrayLength() == 0)
        {
            return OpenAIErrors.EmptyArray($"{at}.tool_calls");
        }
        info.ToolCallIds = [];
        int k = 0;
        foreach (var call in calls.EnumerateArray())
        {
            string cat = $"{at}.tool_calls[{k++}]";
            if (call.ValueKind != JsonValueKind.Object)
            {
                return OpenAIErrors.InvalidType(cat, "an object", call);
            }
            if (RequireString(call, "id", cat, out string? id) is { } e1)
            {
                return e1;
            }
            if (RequireString(call, "type", cat, out string? type) is { } e2)
            {
                return e2;
            }
            if (type == "custom")
            {
                if (!JsonShape.TryGetNonNull(call, "custom", out _))
                {
                    return OpenAIErrors.MissingRequired($"{cat}.custom");
                }
            }
            else if (type != "function")
            {
                return OpenAIErrors.InvalidValue($"{cat}.type", type!, ToolTypes);
            }
            else
            {
                if (!JsonShape.TryGetNonNull(call, "function", out var fn))
                {
                    return OpenAIErrors.MissingRequired($"{cat}.function");
                }
                if (fn.ValueKind != JsonValueKind.Object)
                {
                    return OpenAIErrors.InvalidType($"{cat}.function", "an object", fn);
                }
                if (RequireString(fn, "name", $"{cat}.function", out string? fname) is { } e3)
                {
                    return e3;
                }
                if (RequireString(fn, "arguments", $"{cat}.function", out string? args) is { } e4)
                {
                    return e4;
                }
                info.TextChars += fname!.Length + args!.Length;
            }
            info.ToolCallIds.Add(id!);
        }
        return null;
    }

    private static ApiError? CheckTool(JsonElement msg, string at, ChatMessageInfo info)
    {
        var error = CheckContent(msg, at, TextOnly, required: true, info);
        if (error is not null)
        {
            return error;
        }
        error = RequireString(msg, "tool_call_id", at, out string? id);
        info.ToolCallId = id;
        return error;
    }

    private static ApiError? CheckFunctionMessage(JsonElement msg, string at, ChatMessageInfo info)
    {
        if (!JsonShape.TryGet(msg, "content", out var content))
        {
            return OpenAIErrors.MissingRequired($"{at}.content");
        }
        if (content.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return OpenAIErrors.InvalidType($"{at}.content", "a string", content);
        }
        info.Text = content.GetString() ?? "";
        info.TextChars = info.Text.Length;
        return RequireString(msg, "name", at, out _);
    }

    /// <summary>An object with a string <c>type</c> member (a tool, a content part, a format): its type, or the API's refusal.</summary>
    internal static ApiError? RequireTypedObject(JsonElement obj, string at, out string? type)
    {
        type = null;
        return obj.ValueKind != JsonValueKind.Object ? OpenAIErrors.InvalidType(at, "an object", obj) : RequireString(obj, "type", at, out type);
    }

    /// <summary>A required member of one JSON kind (<paramref name="expected"/> names it in the refusal, e.g. "an array").</summary>
    internal static ApiError? RequireMember(JsonElement obj, string name, string at, JsonValueKind kind, string expected, out JsonElement value)
    {
        if (!JsonShape.TryGetNonNull(obj, name, out value))
        {
            return OpenAIErrors.MissingRequired($"{at}.{name}");
        }
        return value.ValueKind == kind ? null : OpenAIErrors.InvalidType($"{at}.{name}", expected, value);
    }

    internal static ApiError? RequireString(JsonElement obj, string name, string at, out string? value)
    {
        value = null;
        if (!JsonShape.TryGetNonNull(obj, name, out var el))
        {
            return OpenAIErrors.MissingRequired($"{at}.{name}");
        }
        if (el.ValueKind != JsonValueKind.String)
        {
            return OpenAIErrors.InvalidType($"{at}.{name}", "a string", el);
        }
        value = el.GetString();
        return null;
    }

    private static ApiError? CheckContent(JsonElement msg, string at, string[] partTypes, bool required, ChatMessageInfo info)
    {
        string cat = $"{at}.content";
        if (!JsonShape.TryGet(msg, "content", out var content))
        {
            return required ? OpenAIErrors.MissingRequired(cat) : null;
        }
        if (content.ValueKind == JsonValueKind.Null && !required)
        {
            return null;
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            info.Text = content.GetString()!;
            info.TextChars += info.Text.Length;
            return null;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return OpenAIErrors.InvalidType(cat, "one of a string or array of objects", content);
        }
        if (content.GetArrayLength() == 0)
        {
            return OpenAIErrors.EmptyArray(cat);
        }
        var texts = new List<string>();
        int j = 0;
        foreach (var part in content.EnumerateArray())
        {
            string pat = $"{cat}[{j++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                return OpenAIErrors.InvalidType(pat, "an object", part);
            }
            if (RequireString(part, "type", pat, out string? type) is { } e)
            {
                return e;
            }
            if (Array.IndexOf(partTypes, type) < 0)
            {
                return OpenAIErrors.InvalidValue($"{pat}.type", type!, Array.IndexOf(AllPartTypes, type) < 0 ? AllPartTypes : partTypes);
            }
            switch (type)
            {
                case "text":
                case "refusal":
                    if (RequireString(part, type, pat, out string? text) is { } te)
                    {
                        return te;
                    }
                    texts.Add(text!);
                    info.TextChars += text!.Length;
                    break;
                case "image_url":
                    if (CheckImage(part, pat) is { } ie)
                    {
                        return ie;
                    }
                    info.ImageCount++;
                    break;
                case "input_audio":
                case "file":
                    if (!JsonShape.TryGetNonNull(part, type, out var payload))
                    {
                        return OpenAIErrors.MissingRequired($"{pat}.{type}");
                    }
                    if (payload.ValueKind != JsonValueKind.Object)
                    {
                        return OpenAIErrors.InvalidType($"{pat}.{type}", "an object", payload);
                    }
                    break;
            }
        }
        info.Text = string.Join(' ', texts);
        return null;
    }

    /// <summary>http(s) URLs are accepted unfetched; data URLs must be a supported image type with valid base64.</summary>
    private static ApiError? CheckImage(JsonElement part, string at)
    {
        if (!JsonShape.TryGetNonNull(part, "image_url", out var image))
        {
            return OpenAIErrors.MissingRequired($"{at}.image_url");
        }
        if (image.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType($"{at}.image_url", "an object", image);
        }
        if (RequireString(image, "url", $"{at}.image_url", out string? url) is { } e)
        {
            return e;
        }
        if (url!.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out _) ? null : InvalidImage(at);
        }
        var prefix = DataImagePrefix().Match(url);
        if (!prefix.Success)
        {
            return InvalidImage(at);
        }
        var payload = url.AsSpan(prefix.Length);
        return payload.Length > 0 && Base64.IsValid(payload) ? null : InvalidImage(at);
    }

    private static ApiError InvalidImage(string at) => OpenAIErrors.Invalid("Invalid image.", $"{at}.image_url.url", "invalid_image");

    private static ApiError? CheckScalars(JsonElement root, ChatRequest req)
    {
        // Pre-assigned because the ?? chain below may stop before the call that sets each of them.
        long? n = null, maxTokens = null, maxCompletion = null, topLogprobs = null;
        bool? stream = null, logprobs = null, parallel = null;
        var error = CheckNumber(root, "temperature", 0, 2)
            ?? CheckNumber(root, "top_p", 0, 1)
            ?? CheckNumber(root, "frequency_penalty", -2, 2)
            ?? CheckNumber(root, "presence_penalty", -2, 2)
            ?? CheckInteger(root, "n", 1, 128, out n)
            ?? CheckInteger(root, "max_tokens", 1, int.MaxValue, out maxTokens)
            ?? CheckInteger(root, "max_completion_tokens", 1, int.MaxValue, out maxCompletion)
            ?? CheckInteger(root, "top_logprobs", 0, 20, out topLogprobs)
            ?? CheckInteger(root, "seed", long.MinValue, long.MaxValue, out _)
            ?? CheckBool(root, "stream", out stream)
            ?? CheckBool(root, "logprobs", out logprobs)
            ?? CheckBool(root, "store", out _)
            ?? CheckBool(root, "parallel_tool_calls", out parallel)
            ?? CheckKind(root, "user", JsonValueKind.String, "a string")
            ?? CheckKind(root, "safety_identifier", JsonValueKind.String, "a string")
            ?? CheckKind(root, "prompt_cache_key", JsonValueKind.String, "a string")
            ?? CheckKind(root, "metadata", JsonValueKind.Object, "an object")
            ?? CheckKind(root, "logit_bias", JsonValueKind.Object, "an object")
            ?? CheckKind(root, "modalities", JsonValueKind.Array, "an array")
            ?? CheckEnum(root, "service_tier", ServiceTiers)
            ?? CheckEnum(root, "reasoning_effort", ReasoningEfforts)
            ?? CheckEnum(root, "verbosity", Verbosities)
            ?? CheckStop(root);
        if (error is not null)
        {
            return error;
        }
        req.N = (int)(n ?? 1);
        req.MaxTokens = (int?)(maxCompletion ?? maxTokens);
        req.Stream = stream ?? false;
        req.Logprobs = logprobs ?? false;
        req.ParallelToolCalls = parallel ?? true;
        if (topLogprobs is long top)
        {
            if (!req.Logprobs)
            {
                return OpenAIErrors.Invalid(
                    "Invalid value for 'top_logprobs': 'logprobs' must be set to true in order to use 'top_logprobs'.",
                    "top_logprobs", "invalid_value");
            }
            req.TopLogprobs = (int)top;
        }
        return null;
    }

    internal static ApiError? CheckNumber(JsonElement root, string name, double min, double max)
    {
        if (!JsonShape.TryGetNonNull(root, name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number)
        {
            return OpenAIErrors.InvalidType(name, "a decimal", v);
        }
        double d = v.GetDouble();
        if (d < min)
        {
            return OpenAIErrors.BelowMin(name, false, Format(min), v.GetRawText());
        }
        return d > max ? OpenAIErrors.AboveMax(name, false, Format(max), v.GetRawText()) : null;
    }

    private static string Format(double d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static ApiError? CheckInteger(JsonElement root, string name, long min, long max, out long? value)
    {
        value = null;
        if (!JsonShape.TryGetNonNull(root, name, out var v))
        {
            return null;
        }
        if (!JsonShape.IsInteger(v))
        {
            return OpenAIErrors.InvalidType(name, "an integer", v);
        }
        if (!v.TryGetInt64(out long l))
        {
            return v.GetRawText().StartsWith('-')
                ? OpenAIErrors.BelowMin(name, true, min.ToString(), v.GetRawText())
                : OpenAIErrors.AboveMax(name, true, max.ToString(), v.GetRawText());
        }
        if (l < min)
        {
            return OpenAIErrors.BelowMin(name, true, min.ToString(), v.GetRawText());
        }
        if (l > max)
        {
            return OpenAIErrors.AboveMax(name, true, max.ToString(), v.GetRawText());
        }
        value = l;
        return null;
    }

    internal static ApiError? CheckBool(JsonElement root, string name, out bool? value)
    {
        value = null;
        if (!JsonShape.TryGetNonNull(root, name, out var v))
        {
            return null;
        }
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return OpenAIErrors.InvalidType(name, "a boolean", v);
        }
        value = v.GetBoolean();
        return null;
    }

    private static ApiError? CheckKind(JsonElement root, string name, JsonValueKind kind, string expected) =>
        JsonShape.TryGetNonNull(root, name, out var v) && v.ValueKind != kind ? OpenAIErrors.InvalidType(name, expected, v) : null;

    internal static ApiError? CheckEnum(JsonElement root, string name, string[] values)
    {
        if (!JsonShape.TryGetNonNull(root, name, out var v))
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            return OpenAIErrors.InvalidType(name, "a string", v);
        }
        string s = v.GetString()!;
        return Array.IndexOf(values, s) < 0 ? OpenAIErrors.InvalidValue(name, s, values) : null;
    }

    private static ApiError? CheckStop(JsonElement root)
    {
        if (!JsonShape.TryGetNonNull(root, "stop", out var stop) || stop.ValueKind == JsonValueKind.String)
        {
            return null;
        }
        if (stop.ValueKind != JsonValueKind.Array)
        {
            return OpenAIErrors.InvalidType("stop", "one of a string or array of strings", stop);
        }
        int count = stop.GetArrayLength();
        if (count == 0)
        {
            return OpenAIErrors.EmptyArray("stop");
        }
        if (count > 4)
        {
            return OpenAIErrors.ArrayTooLong("stop", 4, count);
        }
        int i = 0;
        foreach (var s in stop.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.String)
            {
                return OpenAIErrors.InvalidType($"stop[{i}]", "a string", s);
            }
            i++;
        }
        return null;
    }

    private static ApiError? CheckStreamOptions(JsonElement root, ChatRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "stream_options", out var options))
        {
            return null;
        }
        if (!req.Stream)
        {
            return OpenAIErrors.Invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
        }
        if (options.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType("stream_options", "an object", options);
        }
        var error = CheckBool(options, "include_usage", out bool? include) ?? CheckBool(options, "include_obfuscation", out _);
        if (error is not null)
        {
            return error with { Param = "stream_options." + error.Param, Message = error.Message.Replace("'include", "'stream_options.include", StringComparison.Ordinal) };
        }
        req.IncludeUsage = include ?? false;
        return null;
    }

    private static ApiError? CheckTools(JsonElement root, ChatRequest req)
    {
        bool hasTools = JsonShape.TryGetNonNull(root, "tools", out var tools);
        if (hasTools)
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                return OpenAIErrors.InvalidType("tools", "an array", tools);
            }
            if (tools.GetArrayLength() == 0)
            {
                return OpenAIErrors.EmptyArray("tools");
            }
            int k = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                if (CheckToolDefinition(tool, $"tools[{k++}]", req) is { } e)
                {
                    return e;
                }
            }
        }

        if (!JsonShape.TryGetNonNull(root, "tool_choice", out var choice))
        {
            return null;
        }
        if (!hasTools)
        {
            return OpenAIErrors.Invalid("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice");
        }
        if (choice.ValueKind == JsonValueKind.String)
        {
            string mode = choice.GetString()!;
            req.ToolChoice = mode switch
            {
                "none" => ToolChoiceMode.None,
                "auto" => ToolChoiceMode.Auto,
                "required" => ToolChoiceMode.Required,
                _ => (ToolChoiceMode)(-1),
            };
            return (int)req.ToolChoice < 0 ? OpenAIErrors.InvalidValue("tool_choice", mode, ToolChoiceModes) : null;
        }
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType("tool_choice", "one of a string or object", choice);
        }
        if (RequireString(choice, "type", "tool_choice", out string? type) is { } te)
        {
            return te;
        }
        if (type != "function")
        {
            return Array.IndexOf(ToolChoiceTypes, type) < 0 ? OpenAIErrors.InvalidValue("tool_choice.type", type!, ToolChoiceTypes) : null;
        }
        if (!JsonShape.TryGetNonNull(choice, "function", out var fn))
        {
            return OpenAIErrors.MissingRequired("tool_choice.function");
        }
        if (RequireString(fn, "name", "tool_choice.function", out string? name) is { } ne)
        {
            return ne;
        }
        if (!req.Tools.Exists(t => t.Name == name))
        {
            return OpenAIErrors.Invalid(
                $"Invalid value for 'tool_choice': function '{name}' is not one of the functions provided in 'tools'.",
                "tool_choice", "invalid_value");
        }
        req.ToolChoice = ToolChoiceMode.Named;
        req.NamedTool = name;
        return null;
    }

    private static ApiError? CheckToolDefinition(JsonElement tool, string at, ChatRequest req)
    {
        if (RequireTypedObject(tool, at, out string? type) is { } te)
        {
            return te;
        }
        if (Array.IndexOf(ToolTypes, type) < 0)
        {
            return OpenAIErrors.InvalidValue($"{at}.type", type!, ToolTypes);
        }
        string payloadName = type == "function" ? "function" : "custom";
        if (!JsonShape.TryGetNonNull(tool, payloadName, out var fn))
        {
            return OpenAIErrors.MissingRequired($"{at}.{payloadName}");
        }
        if (fn.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType($"{at}.{payloadName}", "an object", fn);
        }
        string nameAt = $"{at}.{payloadName}.name";
        if (RequireString(fn, "name", $"{at}.{payloadName}", out string? name) is { } ne)
        {
            return ne;
        }
        if (name!.Length == 0)
        {
            return OpenAIErrors.Invalid($"Invalid '{nameAt}': empty string. Expected a string with minimum length 1, but got an empty string instead.", nameAt, "empty_string");
        }
        if (name.Length > 64)
        {
            return OpenAIErrors.Invalid(
                $"Invalid '{nameAt}': string too long. Expected a string with maximum length 64, but got a string with length {name.Length} instead.",
                nameAt, "string_above_max_length");
        }
        if (!NamePattern().IsMatch(name))
        {
            return OpenAIErrors.Invalid(
                $"Invalid '{nameAt}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                nameAt, "invalid_value");
        }
        if (type != "function")
        {
            return null;
        }
        JsonElement? parameters = null;
        if (JsonShape.TryGetNonNull(fn, "parameters", out var p))
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                return OpenAIErrors.InvalidType($"{at}.function.parameters", "an object", p);
            }
            parameters = p;
        }
        req.Tools.Add(new ToolInfo(name, parameters));
        return null;
    }

    private static ApiError? CheckResponseFormat(JsonElement root, ChatRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "response_format", out var format))
        {
            return null;
        }
        if (RequireTypedObject(format, "response_format", out string? type) is { } te)
        {
            return te;
        }
        switch (type)
        {
            case "text":
                return null;
            case "json_object":
                req.ResponseFormat = ResponseFormatKind.JsonObject;
                return null;
            case "json_schema":
                break;
            default:
                return OpenAIErrors.InvalidValue("response_format.type", type!, ResponseFormatTypes);
        }
        if (!JsonShape.TryGetNonNull(format, "json_schema", out var js))
        {
            return OpenAIErrors.MissingRequired("response_format.json_schema");
        }
        if (js.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType("response_format.json_schema", "an object", js);
        }
        if (RequireString(js, "name", "response_format.json_schema", out string? name) is { } ne)
        {
            return ne;
        }
        if (name!.Length is 0 or > 64 || !NamePattern().IsMatch(name))
        {
            return OpenAIErrors.Invalid(
                "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                "response_format.json_schema.name", "invalid_value");
        }
        if (JsonShape.TryGetNonNull(js, "schema", out var schema))
        {
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return OpenAIErrors.InvalidType("response_format.json_schema.schema", "an object", schema);
            }
            req.JsonSchema = schema;
        }
        req.ResponseFormat = ResponseFormatKind.JsonSchema;
        return null;
    }

    /// <summary>
    /// Every tool message must answer a tool_call_id of the assistant message right before it, and every such id
    /// must be answered before the conversation moves on (the API's wording, including its "messages.[i]" params).
    /// </summary>
    private static ApiError? CheckToolPairing(ChatRequest req)
    {
        List<string>? open = null;   // ids of the last assistant message with tool_calls still allowed to be answered
        HashSet<string>? pending = null;
        int assistantIndex = -1;
        for (int i = 0; i < req.Messages.Count; i++)
        {
            var m = req.Messages[i];
            if (m.Role == "tool")
            {
                if (open is null)
                {
                    return OpenAIErrors.Invalid(
                        "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                        $"messages.[{i}].role");
                }
                if (!open.Contains(m.ToolCallId!))
                {
                    return OpenAIErrors.Invalid(
                        $"Invalid parameter: 'tool_call_id' of '{m.ToolCallId}' not found in 'tool_calls' of previous message.",
                        $"messages.[{i}].tool_call_id");
                }
                pending!.Remove(m.ToolCallId!);
                continue;
            }
            if (pending is { Count: > 0 })
            {
                return UnansweredToolCalls(pending, open!, i);
            }
            open = m.ToolCallIds;
            pending = open is null ? null : [.. open];
            assistantIndex = i;
        }
        return pending is { Count: > 0 } ? UnansweredToolCalls(pending, open!, assistantIndex) : null;
    }

    private static ApiError UnansweredToolCalls(HashSet<string> pending, List<string> ordered, int index) => OpenAIErrors.Invalid(
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
        $"The following tool_call_ids did not have response messages: {string.Join(", ", ordered.Where(pending.Contains))}",
        $"messages.[{index}].role");

    private static ApiError? CheckJsonMode(ChatRequest req)
    {
        if (req.ResponseFormat != ResponseFormatKind.JsonObject)
        {
            return null;
        }
        foreach (var m in req.Messages)
        {
            if (m.Text.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }
        return OpenAIErrors.Invalid(
            "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages");
    }
}
