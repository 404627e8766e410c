using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;
using I = Switchboard.Providers.OpenAI.Responses.ResponsesItemTypes;
using T = Switchboard.Providers.OpenAI.Responses.ResponsesEventTypes;

namespace Switchboard.Providers.OpenAI.Responses;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Reads a Responses API response object (<c>{"object":"response",...}</c>) from an upstream into a
/// <see cref="ChatResponse"/> with one choice, the output items in the order the model produced them.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>message</c>: <c>output_text</c> → <see cref="TextPart"/>, <c>refusal</c> → <see cref="RefusalPart"/>
/// (annotations and logprobs have no canonical place and are dropped).</item>
/// <item><c>function_call</c> → <see cref="ToolCallPart"/> (<c>call_id</c> as its id); <c>custom_tool_call</c> →
/// a <see cref="ToolCallKind.Custom"/> call whose arguments are the free-text <c>input</c>.</item>
/// <item><c>reasoning</c> → one <see cref="ThinkingPart"/>: the summary texts joined by a blank line (or the raw
/// <c>reasoning_text</c> content when there is no summary), <c>encrypted_content</c> as its signature, which
/// <see cref="ResponsesRequestWriter"/> sends back as a reasoning item. A reasoning item with neither is left out.</item>
/// <item>Hosted tool items (<c>web_search_call</c>, <c>shell_call</c>, <c>apply_patch_call</c>, ...) →
/// <see cref="ProviderPart"/> in this dialect, for a Responses client; other dialects skip them.</item>
/// <item><c>status</c>: completed → stop (tool calls when a function or custom tool was called);
/// incomplete → length for <c>max_output_tokens</c>, content filter for <c>content_filter</c>, else other;
/// failed → a <see cref="ValidationError"/>, since a failed response is no answer.</item>
/// <item><c>usage</c>: input tokens (cache reads included, as in OpenAI's accounting), output tokens (reasoning
/// included), cached and reasoning tokens.</item>
/// </list>
/// </remarks>
public static class ResponsesResponseReader
{
    /// <summary>Reads a response body (UTF-8 JSON).</summary>
    public static ReadResult<ChatResponse> Read(ReadOnlySpan<byte> utf8Json)
    {
        const string What = "response body";
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            return WireDocument.TryOpenObject(ref reader, What, out var notObject) ? ReadResponse(JsonElement.ParseValue(ref reader)) : notObject;
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, What);
        }
    }

    private static ReadResult<ChatResponse> ReadResponse(JsonElement root)
    {
        var status = String(root, "status"u8, "status");
        if (status == T.StatusFailed)
        {
            var error = Member(root, "error"u8);
            var reason = error is { ValueKind: JsonValueKind.Object } e ? String(e, "message"u8, "error.message") : null;
            return new ValidationError("status", $"the upstream response failed: {reason ?? "no reason given"}");
        }
        var parts = ImmutableArray.CreateBuilder<ContentPart>();
        if (Member(root, "output"u8) is { } output)
        {
            if (output.ValueKind != JsonValueKind.Array)
            {
                throw WrongType("output", "an array");
            }
            var index = 0;
            foreach (var item in output.EnumerateArray())
            {
                AddItem(item, $"output[{index++}]", parts);
            }
        }
        var sawToolCall = parts.Any(static p => p is ToolCallPart);
        var message = new Message { Role = ChatRole.Assistant, Parts = parts.ToImmutable() };
        var choice = new ChatChoice(0, message) { FinishReason = Finish(status, IncompleteReason(root), sawToolCall) };
        return new ChatResponse
        {
            Id = String(root, "id"u8, "id") ?? throw Missing("id"),
            Model = String(root, "model"u8, "model") ?? "",
            Created = Member(root, "created_at"u8) is { ValueKind: JsonValueKind.Number } created && created.TryGetInt64(out var seconds)
                ? seconds
                : DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Choices = [choice],
            Usage = Member(root, "usage"u8) is { ValueKind: JsonValueKind.Object } usage ? ReadUsage(usage) : null,
            SourceDialect = ResponsesDialect.Name,
        };
    }

    /// <summary>Adds what one output item says to <paramref name="parts"/>.</summary>
    internal static void AddItem(JsonElement item, string path, ImmutableArray<ContentPart>.Builder parts)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path, "an object");
        }
        var type = String(item, "type"u8, Join(path, "type")) ?? throw Missing(Join(path, "type"));
        switch (type)
        {
            case I.Message:
                AddMessageContent(item, path, parts);
                break;
            case I.FunctionCall:
                parts.Add(new ToolCallPart(CallId(item, path), Required(item, "name"u8, path, "name"), String(item, "arguments"u8, Join(path, "arguments")) ?? ""));
                break;
            case I.CustomToolCall:
                parts.Add(new ToolCallPart(CallId(item, path), Required(item, "name"u8, path, "name"), String(item, "input"u8, Join(path, "input")) ?? "")
                {
                    Kind = ToolCallKind.Custom,
                });
                break;
            case I.Reasoning:
                if (Thinking(item, path) is { } thinking)
                {
                    parts.Add(thinking);
                }
                break;
            default:
                parts.Add(new ProviderPart(ResponsesDialect.Name, type, item.Clone()));
                break;
        }
    }

    /// <summary>A reasoning item as one thinking part, or null when it carries neither text nor encrypted content.</summary>
    internal static ThinkingPart? Thinking(JsonElement item, string path)
    {
        var text = JoinTexts(Member(item, "summary"u8), I.SummaryText, Join(path, "summary"));
        if (text.Length == 0)
        {
            text = JoinTexts(Member(item, "content"u8), I.ReasoningText, Join(path, "content"));
        }
        var encrypted = String(item, "encrypted_content"u8, Join(path, "encrypted_content"));
        return text.Length == 0 && encrypted is null ? null : new ThinkingPart(text, encrypted);
    }

    /// <summary>Separator between the parts of a reasoning summary, in the joined thinking text.</summary>
    internal const string SummarySeparator = "\n\n";

    private static string JoinTexts(JsonElement? array, string partType, string path)
    {
        if (array is not { ValueKind: JsonValueKind.Array } items)
        {
            return "";
        }
        var joined = new System.Text.StringBuilder();
        foreach (var part in items.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && String(part, "type"u8, path) == partType && String(part, "text"u8, path) is { } text)
            {
                if (joined.Length > 0)
                {
                    joined.Append(SummarySeparator);
                }
                joined.Append(text);
            }
        }
        return joined.ToString();
    }

    private static void AddMessageContent(JsonElement item, string path, ImmutableArray<ContentPart>.Builder parts)
    {
        if (Member(item, "content"u8) is not { ValueKind: JsonValueKind.Array } content)
        {
            return;
        }
        foreach (var part in content.EnumerateArray())
        {
            var type = part.ValueKind == JsonValueKind.Object ? String(part, "type"u8, Join(path, "content.type")) : null;
            if (type == I.OutputText)
            {
                parts.Add(new TextPart(String(part, "text"u8, Join(path, "content.text")) ?? ""));
            }
            else if (type == I.Refusal)
            {
                parts.Add(new RefusalPart(String(part, "refusal"u8, Join(path, "content.refusal")) ?? ""));
            }
        }
    }

    /// <summary>The canonical finish reason of a response status.</summary>
    internal static FinishReason Finish(string? status, string? incompleteReason, bool sawToolCall) => status switch
    {
        T.StatusIncomplete => incompleteReason switch
        {
            T.MaxOutputTokens => FinishReason.Length,
            T.ContentFilter => FinishReason.ContentFilter,
            _ => new FinishReason(FinishReasonKind.Other, incompleteReason ?? T.StatusIncomplete),
        },
        T.StatusCompleted or null => sawToolCall ? FinishReason.ToolCalls : FinishReason.Stop,
        _ => new FinishReason(FinishReasonKind.Other, status),
    };

    internal static string? IncompleteReason(JsonElement response) =>
        Member(response, "incomplete_details"u8) is { ValueKind: JsonValueKind.Object } details
            ? String(details, "reason"u8, "incomplete_details.reason")
            : null;

    /// <summary>Responses usage in canonical terms: its totals already follow OpenAI's accounting.</summary>
    internal static Usage ReadUsage(JsonElement usage) => new()
    {
        PromptTokens = Count(usage, "input_tokens"u8) ?? 0,
        CompletionTokens = Count(usage, "output_tokens"u8) ?? 0,
        TotalTokens = Count(usage, "total_tokens"u8),
        CachedPromptTokens = Member(usage, "input_tokens_details"u8) is { ValueKind: JsonValueKind.Object } input ? Count(input, "cached_tokens"u8) : null,
        ReasoningTokens = Member(usage, "output_tokens_details"u8) is { ValueKind: JsonValueKind.Object } output ? Count(output, "reasoning_tokens"u8) : null,
    };

    internal static JsonElement? Member(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string member; null when absent or null, an error naming <paramref name="path"/> when of another type.</summary>
    internal static string? String(JsonElement element, ReadOnlySpan<byte> name, string path) => Member(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw WrongType(path, "a string"),
    };

    private static string Required(JsonElement item, ReadOnlySpan<byte> name, string path, string member) =>
        String(item, name, Join(path, member)) ?? throw Missing(Join(path, member));

    private static string CallId(JsonElement item, string path) =>
        String(item, "call_id"u8, Join(path, "call_id")) ?? throw Missing(Join(path, "call_id"));

    private static int? Count(JsonElement element, ReadOnlySpan<byte> name) =>
        Member(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var count) && count >= 0 ? count : null;
}
