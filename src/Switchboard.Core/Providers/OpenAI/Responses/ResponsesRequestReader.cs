using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;
using static Switchboard.Providers.OpenAI.Responses.ResponsesClientValues;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Reads an OpenAI Responses API request body (<c>POST /v1/responses</c>) into a <see cref="ChatRequest"/>, or says
/// precisely what is wrong with it, naming the parameter as OpenAI does (<c>input[2].content[0].type</c>).
/// <c>instructions</c> becomes a leading system message; input items become messages (assistant-side items that
/// follow each other share one assistant message); <c>custom</c> tools become functions with one string argument
/// <c>input</c> (<see cref="FunctionTool.Kind"/> = custom); hosted tools and items stay raw in this dialect. Members
/// the canonical model has no field for (<c>store</c>, <c>include</c>, <c>previous_response_id</c>, ...) are kept raw in
/// <see cref="ChatRequest.Extensions"/>; unknown members are refused with <c>unknown_parameter</c>, as OpenAI does.
/// </summary>
/// <remarks>
/// The body is parsed as a <see cref="JsonDocument"/> rather than token by token (as the Chat reader does): Responses
/// items are polymorphic by a <c>type</c> member that may come after the others, so each item is looked at whole.
/// </remarks>
public static partial class ResponsesRequestReader
{
    /// <summary>OpenAI's code for a top-level member it does not know.</summary>
    public const string UnknownParameter = "unknown_parameter";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    /// <summary>Members of <c>CreateResponse</c> with no canonical field: kept raw for a Responses upstream.</summary>
    private static readonly HashSet<string> PassThroughMembers = new(StringComparer.Ordinal)
    {
        "store", "include", "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options", "truncation",
        "previous_response_id", "service_tier", "background", "max_tool_calls", "safety_identifier", "prompt",
        "conversation", "context_management", "moderation", "stream_options",
        // Not in the published spec, but sent by Codex CLI on every request and accepted by the API.
        "client_metadata",
    };

    /// <summary>Reads a request body (UTF-8 JSON).</summary>
    public static ReadResult<ChatRequest> Read(ReadOnlySpan<byte> utf8Json)
    {
        if (WireDocument.CheckRequestBody(utf8Json) is { } unreadable)
        {
            return unreadable;
        }
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
            if (!WireDocument.TryOpenObject(ref reader, "request body", out var notObject))
            {
                return notObject;
            }
            reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                return new ValidationError(null, "request body has data after the JSON object", ValidationError.InvalidJson);
            }
            return ReadRequest(document.RootElement);
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, "request body");
        }
    }

    private static ChatRequest ReadRequest(JsonElement body)
    {
        // Members are gathered into locals and the record built once: a `with` per member copied the whole request.
        string? model = null;
        string? instructions = null;
        JsonElement? input = null;
        var extensions = new List<ExtensionField>();
        ImmutableArray<ToolDefinition> tools = [];
        ToolChoice? toolChoice = null;
        bool? parallelToolCalls = null, stream = null;
        ResponseFormat? format = null;
        ReasoningOptions? reasoning = null;
        int? maxOutputTokens = null, topLogprobs = null;
        double? temperature = null, topP = null;
        string? user = null;
        ImmutableDictionary<string, string>? metadata = null;
        foreach (var member in body.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "model": model = OptString(value, "model"); break;
                case "input": input = value; break;
                case "instructions": instructions = OptString(value, "instructions"); break;
                case "tools": tools = ReadTools(value); break;
                case "tool_choice": toolChoice = ReadToolChoice(value, extensions); break;
                case "parallel_tool_calls": parallelToolCalls = OptBool(value, "parallel_tool_calls"); break;
                case "text": format = ReadText(value, extensions); break;
                case "reasoning": reasoning = ReadReasoning(value); break;
                case "max_output_tokens": maxOutputTokens = OptInt(value, "max_output_tokens", 1); break;
                case "temperature": temperature = OptDouble(value, "temperature", 0, 2); break;
                case "top_p": topP = OptDouble(value, "top_p", 0, 1); break;
                case "top_logprobs": topLogprobs = OptInt(value, "top_logprobs", 0, 20); break;
                case "stream": stream = OptBool(value, "stream"); break;
                case "user": user = OptString(value, "user"); break;
                case "metadata": metadata = ReadMetadata(value); break;
                default:
                    if (!PassThroughMembers.Contains(member.Name))
                    {
                        throw Fail(member.Name, $"Unknown parameter: '{member.Name}'.", UnknownParameter);
                    }
                    extensions.Add(new ExtensionField(member.Name, value.Clone()));
                    break;
            }
        }
        if (string.IsNullOrEmpty(model))
        {
            throw model is null ? Missing("model") : Fail("model", "must be a non-empty string");
        }
        var messages = ImmutableArray.CreateBuilder<Message>();
        if (!string.IsNullOrEmpty(instructions))
        {
            messages.Add(Message.FromText(ChatRole.System, instructions));
        }
        if (input is { } items && items.ValueKind != JsonValueKind.Null)
        {
            ReadInput(items, tools, messages);
        }
        else if (!HasAny(extensions, "previous_response_id", "prompt", "conversation"))
        {
            throw Missing("input");
        }
        return new ChatRequest
        {
            Model = model,
            SourceDialect = ResponsesDialect.Name,
            Messages = messages.ToImmutable(),
            Tools = tools,
            ToolChoice = toolChoice,
            ParallelToolCalls = parallelToolCalls,
            ResponseFormat = format,
            Reasoning = reasoning,
            MaxOutputTokens = maxOutputTokens,
            Temperature = temperature,
            TopP = topP,
            TopLogprobs = topLogprobs,
            Stream = stream,
            User = user,
            Metadata = metadata,
            Extensions = [.. extensions],
            Hints = string.IsNullOrEmpty(instructions) ? DialectHints.None : InstructionsHints,
        };
    }

    private static readonly DialectHints InstructionsHints = new() { SystemAsInstructions = true };

    private static bool HasAny(List<ExtensionField> fields, params string[] names)
    {
        foreach (var field in fields)
        {
            if (field.Value.ValueKind != JsonValueKind.Null && Array.IndexOf(names, field.Name) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static ImmutableDictionary<string, string>? ReadMetadata(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("metadata", "an object");
        }
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw WrongType($"metadata.{entry.Name}", "a string");
        }
        return map.ToImmutable();
    }
}
