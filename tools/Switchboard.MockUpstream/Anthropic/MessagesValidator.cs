using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary>
/// Rejects Messages and count_tokens requests the way the API does (status, error type and message). Order:
/// required fields, unknown fields, each field's schema, message content, model existence, then cross-field
/// and conversation rules.
/// </summary>
internal static class MessagesValidator
{
    /// <summary>Top-level fields of POST /v1/messages (stable and beta parameters).</summary>
    internal static readonly string[] MessageFields =
    [
        "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_k",
        "top_p", "tools", "tool_choice", "thinking", "service_tier", "container", "context_management", "mcp_servers",
        "output_config", "output_format", "inference_geo", "cache_control", "speed",
    ];

    /// <summary>Top-level fields of POST /v1/messages/count_tokens: no sampling, no max_tokens, no stream.</summary>
    internal static readonly string[] CountFields =
    [
        "model", "messages", "system", "tools", "tool_choice", "thinking", "mcp_servers", "context_management",
        "output_config", "output_format", "cache_control",
    ];

    private static readonly FrozenSet<string> MessageFieldSet = MessageFields.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string> CountFieldSet = CountFields.ToFrozenSet(StringComparer.Ordinal);
    private static readonly string[] MetadataKeys = ["user_id"];
    private static readonly string[] ServiceTiers = ["auto", "standard_only"];
    private static readonly string[] ThinkingTags = ["adaptive", "disabled", "enabled"];
    private static readonly string[] EnabledKeys = ["type", "budget_tokens", "display"];
    private static readonly string[] AdaptiveKeys = ["type", "display"];
    private static readonly string[] TypeOnly = ["type"];
    private static readonly string[] Displays = ["summarized", "omitted"];
    private static readonly string[] OutputConfigKeys = ["effort", "format", "task_budget"];
    private static readonly string[] Efforts = ["low", "medium", "high", "max"];
    private static readonly string[] FormatKeys = ["type", "schema"];
    private static readonly string[] JsonSchemaTag = ["json_schema"];

    public static ApiError? Validate(JsonElement root, bool countTokens, string? betaHeader, out AnthropicRequest? request)
    {
        request = null;
        if (!JsonShape.TryGetNonNull(root, "model", out var modelEl))
        {
            return Pyd.Required("model");
        }
        if (modelEl.ValueKind != JsonValueKind.String)
        {
            return Pyd.Should("model", "a valid string");
        }
        if (!JsonShape.TryGetNonNull(root, "messages", out var messages))
        {
            return Pyd.Required("messages");
        }
        if (Pyd.List(messages, "messages") is { } le)
        {
            return le;
        }
        var req = new AnthropicRequest { Model = modelEl.GetString()!, CountTokens = countTokens };
        if (!countTokens)
        {
            if (!JsonShape.TryGetNonNull(root, "max_tokens", out var maxEl))
            {
                return Pyd.Required("max_tokens");
            }
            if (Pyd.Integer(maxEl, "max_tokens", 1, out long max) is { } me)
            {
                return me;
            }
            req.MaxTokens = (int)Math.Min(max, int.MaxValue);
        }
        if (Pyd.Keys(root, "", countTokens ? CountFieldSet : MessageFieldSet) is { } extra)
        {
            return extra;
        }
        req.Interleaved = betaHeader?.Contains("interleaved-thinking", StringComparison.Ordinal) == true;

        var error = CheckSampling(root, req)
            ?? CheckSystem(root, req)
            ?? ToolsValidator.CheckTools(root, req)
            ?? ToolsValidator.CheckToolChoice(root, req)
            ?? CheckThinking(root, req)
            ?? CheckOutput(root, req)
            ?? CheckMisc(root, req)
            ?? ContentValidator.CheckMessages(messages, req)
            ?? CheckModel(req)
            ?? CheckCrossFields(req)
            ?? ConversationRules.Check(req);
        if (error is null)
        {
            request = req;
        }
        return error;
    }

    private static ApiError? CheckSampling(JsonElement root, AnthropicRequest req)
    {
        if (JsonShape.TryGetNonNull(root, "temperature", out var t))
        {
            if (Pyd.Number(t, "temperature", 0, 1, out double temperature) is { } e)
            {
                return e;
            }
            req.Temperature = temperature;
        }
        if (JsonShape.TryGetNonNull(root, "top_p", out var p) && Pyd.Number(p, "top_p", 0, 1, out _) is { } pe)
        {
            return pe;
        }
        if (req.Temperature is not null && JsonShape.TryGetNonNull(root, "top_p", out _) && AnthropicModels.RefusesTemperatureWithTopP(req.Model))
        {
            return AnthropicErrors.Invalid("`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
        }
        if (JsonShape.TryGetNonNull(root, "top_k", out var k) && Pyd.Integer(k, "top_k", 0, out _) is { } ke)
        {
            return ke;
        }
        if (Pyd.OptionalBool(root, "stream", "") is { } se)
        {
            return se;
        }
        req.Stream = JsonShape.TryGet(root, "stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        if (JsonShape.TryGetNonNull(root, "stop_sequences", out var stops))
        {
            if (Pyd.List(stops, "stop_sequences") is { } le)
            {
                return le;
            }
            int i = 0;
            foreach (var s in stops.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.String)
                {
                    return Pyd.Should($"stop_sequences.{i}", "a valid string");
                }
                if (string.IsNullOrWhiteSpace(s.GetString()))
                {
                    return AnthropicErrors.Invalid("stop_sequences: each stop sequence must contain non-whitespace");
                }
                req.StopSequences.Add(s.GetString()!);
                i++;
            }
        }
        return null;
    }

    private static ApiError? CheckSystem(JsonElement root, AnthropicRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "system", out var system))
        {
            return null;
        }
        if (system.ValueKind == JsonValueKind.String)
        {
            string text = system.GetString()!;
            req.System.Add(new AnthropicBlock { Type = "text", Text = text, Chars = text.Length, Raw = system.GetRawText() });
            return null;
        }
        if (system.ValueKind != JsonValueKind.Array)
        {
            return Pyd.Should("system", "a valid string");
        }
        int i = 0;
        foreach (var block in system.EnumerateArray())
        {
            string at = $"system.{i++}";
            if (Pyd.Object(block, at) is { } oe)
            {
                return oe;
            }
            if (JsonShape.GetString(block, "type") != "text")
            {
                return Pyd.Should(Pyd.Join(at, "type"), "'text'");
            }
            if (ContentValidator.CheckText(block, at, out var parsed) is { } te)
            {
                return te;
            }
            req.System.Add(parsed!);
        }
        return null;
    }

    private static ApiError? CheckThinking(JsonElement root, AnthropicRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "thinking", out var thinking))
        {
            return null;
        }
        if (Pyd.Object(thinking, "thinking") is { } oe)
        {
            return oe;
        }
        if (JsonShape.GetString(thinking, "type") is not { } type)
        {
            return Pyd.NoTag("thinking");
        }
        string at = "thinking." + type;
        switch (type)
        {
            case "enabled":
                if (!JsonShape.TryGetNonNull(thinking, "budget_tokens", out var budget))
                {
                    return Pyd.Required(at + ".budget_tokens");
                }
                if (Pyd.Integer(budget, at + ".budget_tokens", 1024, out long tokens) is { } be)
                {
                    return be;
                }
                req.Thinking = ThinkingMode.Enabled;
                req.BudgetTokens = (int)Math.Min(tokens, int.MaxValue);
                return Pyd.Keys(thinking, at, EnabledKeys) ?? CheckDisplay(thinking, at);
            case "adaptive":
                req.Thinking = ThinkingMode.Adaptive;
                return Pyd.Keys(thinking, at, AdaptiveKeys) ?? CheckDisplay(thinking, at);
            case "disabled":
                return Pyd.Keys(thinking, at, TypeOnly);
            default:
                return Pyd.Tag("thinking", type, ThinkingTags);
        }
    }

    private static ApiError? CheckDisplay(JsonElement thinking, string at) =>
        JsonShape.TryGetNonNull(thinking, "display", out var d) && (d.ValueKind != JsonValueKind.String || Array.IndexOf(Displays, d.GetString()) < 0)
            ? Pyd.Literal(at + ".display", Displays)
            : null;

    private static ApiError? CheckOutput(JsonElement root, AnthropicRequest req)
    {
        if (JsonShape.TryGetNonNull(root, "output_config", out var config))
        {
            if ((Pyd.Object(config, "output_config") ?? Pyd.Keys(config, "output_config", OutputConfigKeys)) is { } e)
            {
                return e;
            }
            if (JsonShape.TryGetNonNull(config, "effort", out var effort) && (effort.ValueKind != JsonValueKind.String || Array.IndexOf(Efforts, effort.GetString()) < 0))
            {
                return Pyd.Literal("output_config.effort", Efforts);
            }
            if (JsonShape.TryGetNonNull(config, "format", out var format) && CheckFormat(format, "output_config.format", req) is { } fe)
            {
                return fe;
            }
        }
        return JsonShape.TryGetNonNull(root, "output_format", out var legacy) ? CheckFormat(legacy, "output_format", req) : null;
    }

    private static ApiError? CheckFormat(JsonElement format, string at, AnthropicRequest req)
    {
        if (Pyd.Object(format, at) is { } oe)
        {
            return oe;
        }
        if (JsonShape.GetString(format, "type") is not { } type)
        {
            return Pyd.NoTag(at);
        }
        if (type != "json_schema")
        {
            return Pyd.Tag(at, type, JsonSchemaTag);
        }
        if (!JsonShape.TryGetNonNull(format, "schema", out var schema))
        {
            return Pyd.Required(at + ".json_schema.schema");
        }
        if ((Pyd.Object(schema, at + ".json_schema.schema") ?? Pyd.Keys(format, at + ".json_schema", FormatKeys)) is { } e)
        {
            return e;
        }
        req.OutputSchema = schema;
        return null;
    }

    private static ApiError? CheckMisc(JsonElement root, AnthropicRequest req)
    {
        if (JsonShape.TryGetNonNull(root, "metadata", out var metadata))
        {
            if ((Pyd.Object(metadata, "metadata") ?? Pyd.Keys(metadata, "metadata", MetadataKeys) ?? Pyd.OptionalString(metadata, "user_id", "metadata")) is { } e)
            {
                return e;
            }
        }
        if (JsonShape.TryGetNonNull(root, "service_tier", out var tier) && (tier.ValueKind != JsonValueKind.String || Array.IndexOf(ServiceTiers, tier.GetString()) < 0))
        {
            return Pyd.Literal("service_tier", ServiceTiers);
        }
        if (JsonShape.TryGetNonNull(root, "container", out var container) && container.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
        {
            return Pyd.Should("container", "a valid string");
        }
        if (JsonShape.TryGetNonNull(root, "context_management", out var cm) && Pyd.Object(cm, "context_management") is { } cme)
        {
            return cme;
        }
        if (JsonShape.TryGetNonNull(root, "mcp_servers", out var servers))
        {
            if (Pyd.List(servers, "mcp_servers") is { } se)
            {
                return se;
            }
            int i = 0;
            foreach (var server in servers.EnumerateArray())
            {
                if (Pyd.Object(server, $"mcp_servers.{i++}") is { } e)
                {
                    return e;
                }
            }
        }
        if ((Pyd.OptionalString(root, "inference_geo", "") ?? Pyd.OptionalString(root, "speed", "")) is { } ge)
        {
            return ge;
        }
        req.AutoCacheControl = JsonShape.TryGetNonNull(root, "cache_control", out _);
        return ContentValidator.CheckCacheControl(root, "");
    }

    private static ApiError? CheckModel(AnthropicRequest req)
    {
        if (AnthropicModels.MaxOutput(req.Model) is not int limit)
        {
            return AnthropicErrors.ModelNotFound(req.Model);
        }
        return !req.CountTokens && req.MaxTokens > limit
            ? AnthropicErrors.Invalid($"max_tokens: {req.MaxTokens} > {limit}, which is the maximum allowed number of output tokens for {req.Model}")
            : null;
    }

    private static ApiError? CheckCrossFields(AnthropicRequest req)
    {
        if (req.Thinking == ThinkingMode.Enabled && !req.CountTokens && req.MaxTokens <= req.BudgetTokens)
        {
            return AnthropicErrors.Invalid(
                "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at " +
                "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
        }
        if (req.Thinking != ThinkingMode.Off && req.Temperature is double t && t != 1)
        {
            return AnthropicErrors.Invalid(
                "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at " +
                "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility");
        }
        if (req.Thinking != ThinkingMode.Off && req.ToolChoice is ToolChoiceKind.Any or ToolChoiceKind.Tool)
        {
            return AnthropicErrors.Invalid("Thinking may not be enabled when tool_choice forces tool use.");
        }
        if (req.ToolChoice == ToolChoiceKind.Tool && !req.Tools.Exists(t => t.Name == req.ToolChoiceName))
        {
            return AnthropicErrors.Invalid($"tool_choice.name: Tool '{req.ToolChoiceName}' not found in provided tools");
        }
        return null;
    }
}
