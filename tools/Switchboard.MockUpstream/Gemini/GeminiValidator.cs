using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>
/// Rejects generateContent requests like the API: first the JSON transcoding (unknown names, types — see
/// <see cref="ProtoParser"/>), then the model, then the request's own rules (<c>* GenerateContentRequest.path: …</c>),
/// then the conversation: roles, function call / response turns, and thought signatures when the model thinks.
/// </summary>
internal static partial class GeminiValidator
{
    private static readonly string[] DataFields = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];
    private static readonly string[] MimeTypes = ["text/plain", "application/json", "application/xml", "application/yaml", "text/x.enum"];

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$")]
    private static partial Regex FunctionName();

    public static ApiError? Validate(JsonElement root, string model, bool stream, out GeminiRequest? request)
    {
        request = null;
        if (ProtoParser.Check(root) is { } parseError)
        {
            return parseError;
        }
        if (GeminiModels.Find(model) is not ThinkingDefault thinking)
        {
            return GeminiErrors.ModelNotFound(model, stream);
        }
        var req = new GeminiRequest { Model = model, Stream = stream };
        var error = CheckContents(root, req)
            ?? CheckSystem(root, req)
            ?? CheckTools(root, req)
            ?? CheckGeneration(root, req, thinking)
            ?? CheckTurns(req)
            ?? CheckSignatures(req);
        if (error is null)
        {
            request = req;
        }
        return error;
    }

    /// <summary>A member by its JSON name or its proto (snake_case) name; JSON null counts as absent.</summary>
    internal static bool TryGet(JsonElement obj, string jsonName, out JsonElement value)
    {
        if (JsonShape.TryGetNonNull(obj, jsonName, out value))
        {
            return true;
        }
        string snake = string.Concat(jsonName.Select(c => char.IsAsciiLetterUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
        return JsonShape.TryGetNonNull(obj, snake, out value);
    }

    private static ApiError? CheckContents(JsonElement root, GeminiRequest req)
    {
        if (!TryGet(root, "contents", out var contents) || contents.GetArrayLength() == 0)
        {
            return GeminiErrors.Field("contents", "contents is not specified");
        }
        int i = 0;
        foreach (var c in contents.EnumerateArray())
        {
            string role = TryGet(c, "role", out var r) ? r.GetString()! : "";
            if (role.Length > 0 && role is not ("user" or "model"))
            {
                return GeminiErrors.InvalidArgument("Please use a valid role: user, model.");
            }
            var content = new GeminiContent { Role = role };
            if (CheckParts(c, $"contents[{i}]", content) is { } pe)
            {
                return pe;
            }
            req.Contents.Add(content);
            i++;
        }
        return null;
    }

    private static ApiError? CheckSystem(JsonElement root, GeminiRequest req)
    {
        if (!TryGet(root, "systemInstruction", out var system))
        {
            return null;
        }
        var content = new GeminiContent { Role = "system" };
        var error = CheckParts(system, "system_instruction", content);
        req.SystemChars = content.Parts.Sum(p => p.Text.Length);
        return error;
    }

    private static ApiError? CheckParts(JsonElement content, string at, GeminiContent into)
    {
        if (!TryGet(content, "parts", out var parts) || parts.GetArrayLength() == 0)
        {
            return GeminiErrors.Field(at + ".parts", "contents.parts must not be empty.");
        }
        int j = 0;
        foreach (var part in parts.EnumerateArray())
        {
            string path = $"{at}.parts[{j++}]";
            var set = DataFields.Where(f => TryGet(part, f, out _)).ToList();
            if (set.Count == 0)
            {
                return GeminiErrors.Field(path + ".data", "required oneof field 'data' must have one initialized field");
            }
            if (set.Count > 1)
            {
                string message = $"Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '{set[1]}'";
                return GeminiErrors.InvalidArgument(message, GeminiErrors.BadRequest([(path, message)]));
            }
            string kind = set[0];
            TryGet(part, kind, out var data);
            string? name = null;
            JsonElement? payload = null;
            if (kind is "functionCall" or "functionResponse")
            {
                string proto = kind == "functionCall" ? "function_call" : "function_response";
                name = TryGet(data, "name", out var n) ? n.GetString() : null;
                if (string.IsNullOrEmpty(name))
                {
                    return GeminiErrors.Field($"{path}.{proto}.name", "Name cannot be empty.");
                }
                if (kind == "functionResponse" && !TryGet(data, "response", out _))
                {
                    return GeminiErrors.Field($"{path}.{proto}.response", "Response cannot be empty.");
                }
                payload = TryGet(data, kind == "functionCall" ? "args" : "response", out var p) ? p : null;
            }
            into.Parts.Add(new GeminiPart
            {
                Kind = kind,
                Text = kind == "text" ? data.GetString()! : "",
                Thought = TryGet(part, "thought", out var t) && t.ValueKind == JsonValueKind.True,
                Signature = TryGet(part, "thoughtSignature", out var s) ? s.GetString() : null,
                Name = name,
                Payload = payload,
            });
        }
        return null;
    }

    private static ApiError? CheckTools(JsonElement root, GeminiRequest req)
    {
        if (TryGet(root, "tools", out var tools))
        {
            req.ToolChars = tools.GetRawText().Length;
            int i = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                if (TryGet(tool, "functionDeclarations", out var declarations))
                {
                    int j = 0;
                    foreach (var d in declarations.EnumerateArray())
                    {
                        if (CheckDeclaration(d, $"tools[{i}].function_declarations[{j++}]", req) is { } de)
                        {
                            return de;
                        }
                    }
                }
                i++;
            }
        }
        if (!TryGet(root, "toolConfig", out var config) || !TryGet(config, "functionCallingConfig", out var calling))
        {
            return null;
        }
        const string at = "tool_config.function_calling_config";
        if (TryGet(calling, "mode", out var mode))
        {
            string name = mode.ValueKind == JsonValueKind.Number ? ProtoSchema.Mode.Values[mode.GetInt32()] : mode.GetString()!.ToUpperInvariant();
            req.Mode = name switch
            {
                "ANY" => CallingMode.Any,
                "NONE" => CallingMode.None,
                "VALIDATED" => CallingMode.Validated,
                _ => CallingMode.Auto,
            };
        }
        if (req.Mode is CallingMode.Any or CallingMode.Validated && req.Functions.Count == 0)
        {
            return GeminiErrors.InvalidArgument("Function calling config is set without function_declarations.");
        }
        if (TryGet(calling, "allowedFunctionNames", out var allowed))
        {
            foreach (var n in allowed.EnumerateArray())
            {
                req.AllowedFunctions.Add(n.GetString()!);
            }
            if (req.AllowedFunctions.Count > 0 && req.Mode is not (CallingMode.Any or CallingMode.Validated))
            {
                return GeminiErrors.Field(at + ".allowed_function_names",
                    "allowed_function_names should only be set when the function calling mode is ANY or VALIDATED.");
            }
            if (req.AllowedFunctions.Find(n => !req.Functions.Exists(f => f.Name == n)) is { } unknown)
            {
                return GeminiErrors.Field(at + ".allowed_function_names", $"function '{unknown}' is not found in the function declarations.");
            }
        }
        return null;
    }

    private static ApiError? CheckDeclaration(JsonElement d, string at, GeminiRequest req)
    {
        string name = TryGet(d, "name", out var n) ? n.GetString()! : "";
        if (!FunctionName().IsMatch(name))
        {
            return GeminiErrors.Field(at + ".name",
                "Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), " +
                "dots (.), colons (:), or dashes (-), with a maximum length of 64.");
        }
        bool schema = TryGet(d, "parameters", out var parameters);
        bool jsonSchema = TryGet(d, "parametersJsonSchema", out var parametersJson);
        if (schema && jsonSchema)
        {
            return GeminiErrors.Field(at + ".parameters_json_schema", "`parameters` and `parameters_json_schema` cannot both be set.");
        }
        if (TryGet(d, "response", out _) && TryGet(d, "responseJsonSchema", out _))
        {
            return GeminiErrors.Field(at + ".response_json_schema", "`response` and `response_json_schema` cannot both be set.");
        }
        if (schema && CheckRequired(parameters, at + ".parameters") is { } re)
        {
            return re;
        }
        req.Functions.Add(new FunctionDeclarationInfo(name, schema ? parameters : jsonSchema ? parametersJson : null));
        return null;
    }

    /// <summary>In a proto Schema every <c>required</c> name must be one of its <c>properties</c>, recursively.</summary>
    private static ApiError? CheckRequired(JsonElement schema, string at)
    {
        bool hasProperties = TryGet(schema, "properties", out var properties);
        if (TryGet(schema, "required", out var required))
        {
            int k = 0;
            foreach (var r in required.EnumerateArray())
            {
                if (!hasProperties || !properties.TryGetProperty(r.GetString()!, out _))
                {
                    return GeminiErrors.Field($"{at}.required[{k}]", "property is not defined");
                }
                k++;
            }
        }
        if (hasProperties)
        {
            int k = 0;
            foreach (var p in properties.EnumerateObject())
            {
                if (CheckRequired(p.Value, $"{at}.properties[{k++}].value") is { } e)
                {
                    return e;
                }
            }
        }
        if (TryGet(schema, "items", out var items) && CheckRequired(items, at + ".items") is { } ie)
        {
            return ie;
        }
        if (TryGet(schema, "anyOf", out var anyOf))
        {
            int k = 0;
            foreach (var option in anyOf.EnumerateArray())
            {
                if (CheckRequired(option, $"{at}.any_of[{k++}]") is { } e)
                {
                    return e;
                }
            }
        }
        return null;
    }

    private static ApiError? CheckGeneration(JsonElement root, GeminiRequest req, ThinkingDefault thinking)
    {
        TryGet(root, "generationConfig", out var g);
        bool has = g.ValueKind == JsonValueKind.Object;
        const string at = "generation_config";
        if (has)
        {
            var error = Range(g, "temperature", at, 0, 2) ?? Range(g, "topP", at, 0, 1) ?? Range(g, "topK", at, 1, null)
                ?? Range(g, "candidateCount", at, 1, 8) ?? Range(g, "maxOutputTokens", at, 1, null)
                ?? Range(g, "presencePenalty", at, -2, 2) ?? Range(g, "frequencyPenalty", at, -2, 2) ?? Range(g, "logprobs", at, 0, 20);
            if (error is not null)
            {
                return error;
            }
            if (TryGet(g, "logprobs", out _) && !(TryGet(g, "responseLogprobs", out var rl) && rl.ValueKind == JsonValueKind.True))
            {
                return GeminiErrors.Field(at + ".logprobs", "logprobs can only be set when response_logprobs is true.");
            }
            if (TryGet(g, "stopSequences", out var stops))
            {
                if (stops.GetArrayLength() > 5)
                {
                    return GeminiErrors.Field(at + ".stop_sequences", $"the number of stop_sequences must be at most 5, got {stops.GetArrayLength()}.");
                }
                req.StopSequences.AddRange(stops.EnumerateArray().Select(s => s.GetString()!));
            }
            req.MaxOutputTokens = TryGet(g, "maxOutputTokens", out var max) ? int.Parse(max.ToString(), CultureInfo.InvariantCulture) : null;
            req.CandidateCount = TryGet(g, "candidateCount", out var n) ? int.Parse(n.ToString(), CultureInfo.InvariantCulture) : 1;
            if (CheckResponseFormat(g, at, req) is { } fe)
            {
                return fe;
            }
        }
        // Thinking: Pro and 3.x always think; Flash unless the budget is 0; Flash-Lite and mock-* only when asked.
        int? budget = null;
        bool level = false;
        if (has && TryGet(g, "thinkingConfig", out var tc))
        {
            budget = TryGet(tc, "thinkingBudget", out var b) ? int.Parse(b.ToString(), CultureInfo.InvariantCulture) : null;
            level = TryGet(tc, "thinkingLevel", out _);
            req.IncludeThoughts = TryGet(tc, "includeThoughts", out var it) && it.ValueKind == JsonValueKind.True;
        }
        if (thinking == ThinkingDefault.Always && budget == 0)
        {
            return GeminiErrors.InvalidArgument("Budget 0 is invalid. This model only works in thinking mode.");
        }
        req.Thinking = thinking switch
        {
            ThinkingDefault.Always => true,
            ThinkingDefault.OnByDefault => budget != 0,
            _ => (budget is int v && v != 0) || level || req.IncludeThoughts,
        };
        req.IncludeThoughts &= req.Thinking;
        if (req.Functions.Count > 0 && req.ResponseMimeType == "application/json")
        {
            return GeminiErrors.InvalidArgument("Tool use with a response mime type: 'application/json' is unsupported");
        }
        return null;
    }

    private static ApiError? CheckResponseFormat(JsonElement g, string at, GeminiRequest req)
    {
        if (TryGet(g, "responseMimeType", out var mime))
        {
            req.ResponseMimeType = mime.GetString();
            if (Array.IndexOf(MimeTypes, req.ResponseMimeType) < 0)
            {
                return GeminiErrors.Field(at + ".response_mime_type",
                    "allowed mimetypes are `text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.");
            }
        }
        bool schema = TryGet(g, "responseSchema", out var s);
        bool jsonSchema = TryGet(g, "responseJsonSchema", out var js);
        if (schema && jsonSchema)
        {
            return GeminiErrors.Field(at + ".response_json_schema", "`response_schema` and `response_json_schema` cannot both be set.");
        }
        if ((schema || jsonSchema) && req.ResponseMimeType is not ("application/json" or "text/x.enum"))
        {
            return GeminiErrors.Field(at + (schema ? ".response_schema" : ".response_json_schema"),
                "response_mime_type must be `application/json` or `text/x.enum` when a response schema is set.");
        }
        if (schema && CheckRequired(s, at + ".response_schema") is { } re)
        {
            return re;
        }
        req.ResponseSchema = schema ? s : jsonSchema ? js : null;
        return null;
    }

    private static ApiError? Range(JsonElement obj, string name, string at, double min, double? max)
    {
        if (!TryGet(obj, name, out var v))
        {
            return null;
        }
        double value = v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.Parse(v.GetString()!, CultureInfo.InvariantCulture);
        if (value >= min && (max is not double hi || value <= hi))
        {
            return null;
        }
        string proto = string.Concat(name.Select(c => char.IsAsciiLetterUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
        string range = max is double top ? $"[{F(min)}, {F(top)}]" : $">= {F(min)}";
        return GeminiErrors.Field($"{at}.{proto}", $"{proto} must be {(max is null ? "" : "in the range ")}{range}, got {F(value)}.");
    }

    private static string F(double d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A model turn with function calls must follow a user turn (text or function responses); a function response
    /// turn must follow the function call turn and answer every call in it.
    /// </summary>
    private static ApiError? CheckTurns(GeminiRequest req)
    {
        var contents = req.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            var c = contents[i];
            int calls = c.Role == "model" ? c.Count("functionCall") : 0;
            if (calls > 0)
            {
                if (i == 0 || contents[i - 1].Role == "model")
                {
                    return GeminiErrors.InvalidArgument("Please ensure that function call turn comes immediately after a user turn or after a function response turn.");
                }
                if (i + 1 < contents.Count && contents[i + 1].Role != "model" && contents[i + 1].Count("functionResponse") != calls)
                {
                    return GeminiErrors.InvalidArgument(
                        "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.");
                }
            }
            if (c.Role != "model" && c.Count("functionResponse") > 0 && (i == 0 || contents[i - 1].Role != "model" || contents[i - 1].Count("functionCall") == 0))
            {
                return GeminiErrors.InvalidArgument("Please ensure that function response turn comes immediately after a function call turn.");
            }
        }
        return null;
    }

    /// <summary>
    /// With thinking on, every model turn of the current turn (since the last user prompt that was not only
    /// function responses) must send back the signature on its first function call.
    /// </summary>
    private static ApiError? CheckSignatures(GeminiRequest req)
    {
        if (!req.Thinking)
        {
            return null;
        }
        var contents = req.Contents;
        int start = contents.FindLastIndex(c => c.Role != "model" && c.Parts.Exists(p => p.Kind != "functionResponse"));
        for (int i = Math.Max(start, 0); i < contents.Count; i++)
        {
            if (contents[i].Role != "model" || contents[i].Parts.Find(p => p.Kind == "functionCall") is not { } call)
            {
                continue;
            }
            // Any signature passes (the proto parser already checked it is base64), including the documented dummy
            // values such as skip_thought_signature_validator; a dropped one does not.
            if (string.IsNullOrEmpty(call.Signature))
            {
                return GeminiErrors.InvalidArgument(
                    "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and " +
                    $"missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{call.Name}` , " +
                    $"position {i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
            }
        }
        return null;
    }
}
