using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>Reads <c>tools</c>, <c>tool_choice</c>, <c>thinking</c> and <c>output_config.effort</c>.
/// These are small, so they are parsed whole and interpreted from the element.</summary>
internal static class AnthropicToolsReader
{
    public static List<ToolDefinition>? ReadTools(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType("tools", "an array");
        }
        var tools = new List<ToolDefinition>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            tools.Add(ReadTool(JsonElement.ParseValue(ref reader), $"tools[{tools.Count}]"));
        }
        return tools;
    }

    /// <summary>A client tool (no <c>type</c>, or <c>custom</c>) is a <see cref="FunctionTool"/>; any other
    /// <c>type</c> is one of Anthropic's server or client-executed built-ins, kept raw.</summary>
    private static ToolDefinition ReadTool(JsonElement tool, string path)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path, "an object");
        }
        if (tool.TryGetProperty("type"u8, out var type) && type.ValueKind != JsonValueKind.Null && !type.ValueEquals("custom"u8))
        {
            if (type.ValueKind != JsonValueKind.String)
            {
                throw WrongType($"{path}.type", "a string");
            }
            if (!tool.TryGetProperty("name"u8, out _))
            {
                throw Missing($"{path}.name");
            }
            return new ProviderTool(AnthropicMessagesDialect.Name, type.GetString()!, tool);
        }

        string? name = null;
        string? description = null;
        JsonElement? schema = null;
        bool? strict = null;
        CacheControl? cacheControl = null;
        List<ExtensionField>? extensions = null;
        foreach (var member in tool.EnumerateObject())
        {
            var value = member.Value;
            if (member.NameEquals("name"u8))
            {
                name = value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType($"{path}.name", "a string");
            }
            else if (member.NameEquals("description"u8) && value.ValueKind is JsonValueKind.String)
            {
                description = value.GetString();
            }
            else if (member.NameEquals("input_schema"u8))
            {
                schema = value.ValueKind == JsonValueKind.Object ? value : throw WrongType($"{path}.input_schema", "an object");
            }
            else if (member.NameEquals("strict"u8) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                strict = value.GetBoolean();
            }
            else if (member.NameEquals("cache_control"u8) && value.ValueKind == JsonValueKind.Object)
            {
                cacheControl = ReadCacheControl(value);
            }
            else
            {
                (extensions ??= []).Add(new ExtensionField(member.Name, value));
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            throw name is null ? Missing($"{path}.name") : Fail($"{path}.name", "must be a non-empty string");
        }
        return new FunctionTool(name)
        {
            Description = description,
            Parameters = schema ?? throw Missing($"{path}.input_schema"),
            Strict = strict,
            CacheControl = cacheControl,
            Extensions = extensions is null ? [] : [.. extensions],
        };
    }

    /// <summary>
    /// Reads <c>tool_choice</c>; its <c>disable_parallel_tool_use</c> is returned as
    /// <see cref="ChatRequest.ParallelToolCalls"/> (inverted). <paramref name="keepRaw"/> is set when the
    /// object says more than <c>type</c>/<c>name</c>/<c>disable_parallel_tool_use</c> (or has a type not
    /// known here): the writer then sends the object itself back, and other dialects get the nearest
    /// neutral choice (none for an unknown type).
    /// </summary>
    public static (ToolChoice? Choice, bool? Parallel) ReadToolChoice(JsonElement choice, out bool keepRaw)
    {
        keepRaw = false;
        if (choice.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }
        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("tool_choice", "an object");
        }
        string? type = null;
        string? name = null;
        bool? parallel = null;
        foreach (var member in choice.EnumerateObject())
        {
            var value = member.Value;
            if (member.NameEquals("type"u8))
            {
                type = value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType("tool_choice.type", "a string");
            }
            else if (member.NameEquals("name"u8) && value.ValueKind == JsonValueKind.String)
            {
                name = value.GetString();
            }
            else if (member.NameEquals("disable_parallel_tool_use"u8) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                parallel = !value.GetBoolean();
            }
            else
            {
                keepRaw = true;
            }
        }
        ToolChoice? result = type switch
        {
            null => throw Missing("tool_choice.type"),
            "auto" => ToolChoice.Auto,
            "any" => ToolChoice.Required,
            "none" => ToolChoice.None,
            "tool" => ToolChoice.Function(name ?? throw Missing("tool_choice.name")),
            _ => null,
        };
        keepRaw |= result is null || (name is not null && type != "tool");
        return (result, parallel);
    }

    /// <summary>
    /// Reads <c>thinking</c>: <c>enabled</c> (with <c>budget_tokens</c>), <c>disabled</c> or <c>adaptive</c>.
    /// <paramref name="keepRaw"/> is set when the object says more than that (or a type not known here),
    /// so the writer sends the object itself back.
    /// </summary>
    public static ReasoningOptions? ReadThinking(JsonElement thinking, out bool keepRaw)
    {
        keepRaw = false;
        if (thinking.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (thinking.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("thinking", "an object");
        }
        string? type = null;
        int? budget = null;
        foreach (var member in thinking.EnumerateObject())
        {
            if (member.NameEquals("type"u8))
            {
                type = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : throw WrongType("thinking.type", "a string");
            }
            else if (member.NameEquals("budget_tokens"u8))
            {
                budget = member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt32(out var value) && value >= 0
                    ? value
                    : throw WrongType("thinking.budget_tokens", "a non-negative integer");
            }
            else
            {
                keepRaw = true;
            }
        }
        switch (type)
        {
            case null:
                throw Missing("thinking.type");
            case "enabled":
                return new ReasoningOptions { Enabled = true, BudgetTokens = budget ?? throw Missing("thinking.budget_tokens") };
            case "disabled":
                keepRaw |= budget is not null;
                return new ReasoningOptions { Enabled = false };
            case "adaptive":
                keepRaw |= budget is not null;
                return new ReasoningOptions { Enabled = true };
            default:
                keepRaw = true;
                return null;
        }
    }

    /// <summary><c>output_config.effort</c> in neutral terms (Anthropic's <c>max</c> is OpenAI's <c>xhigh</c>).</summary>
    public static string? ReadEffort(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            return config.ValueKind == JsonValueKind.Null ? null : throw WrongType("output_config", "an object");
        }
        if (!config.TryGetProperty("effort"u8, out var effort) || effort.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var value = effort.GetString();
        return value == "max" ? ReasoningEfforts.XHigh : value;
    }

    /// <summary>
    /// Structured output: <c>output_config.format</c> (or the beta's top-level <c>output_format</c>),
    /// <c>{"type": "json_schema", "schema": {...}}</c>, as a <see cref="ResponseFormat"/> so that OpenAI and Gemini
    /// upstreams get their own JSON mode; null when there is none. The Anthropic upstream gets the member as sent.
    /// </summary>
    public static ResponseFormat? ReadOutputFormat(JsonElement format, string path)
    {
        if (format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (format.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path, "an object");
        }
        if (!format.TryGetProperty("type"u8, out var type) || !type.ValueEquals("json_schema"u8))
        {
            throw Fail($"{path}.type", "must be 'json_schema'");
        }
        if (!format.TryGetProperty("schema"u8, out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            throw format.TryGetProperty("schema"u8, out _) ? WrongType($"{path}.schema", "an object") : Missing($"{path}.schema");
        }
        // OpenAI requires a name; Anthropic's format has none.
        return new ResponseFormat(ResponseFormatKind.JsonSchema, new JsonSchemaFormat(OutputFormatName) { Schema = schema });
    }

    /// <summary>The schema name an Anthropic client's structured output gets on the OpenAI wire.</summary>
    public const string OutputFormatName = "output";

    public static CacheControl ReadCacheControl(JsonElement value)
    {
        var type = value.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "ephemeral";
        var ttl = value.TryGetProperty("ttl"u8, out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        return new CacheControl(type, ttl);
    }
}
