using System.Text.Json;

namespace Switchboard.MockUpstream.Responses;

/// <summary>A generated answer with the ids the response object and its stream share.</summary>
internal sealed class ResponsesAnswer(ResponsesRequest request, ChatResult result)
{
    public ResponsesRequest Request { get; } = request;

    public string Id { get; } = HttpHelpers.NewId("resp_", 48);

    public long CreatedAt { get; } = result.Created;

    public ChoiceResult Choice { get; } = result.Choices[0];

    public string MessageId { get; } = HttpHelpers.NewId("msg_", 48);

    /// <summary>The function_call items' ids (<c>fc_…</c>), one per call, in order.</summary>
    public List<string> CallItemIds { get; } = result.Choices[0].ToolCalls?.Select(_ => HttpHelpers.NewId("fc_", 48)).ToList() ?? [];

    public int InputTokens { get; } = result.PromptTokens;

    public int OutputTokens { get; } = result.CompletionTokens;

    /// <summary>max_output_tokens cut the answer: status incomplete.</summary>
    public bool Incomplete => Choice.FinishReason == "length";

    public string Status => Incomplete ? "incomplete" : "completed";

    public bool IsToolCall => Choice.ToolCalls is not null;
}

/// <summary>Writes the Responses API's response object and output items, field for field as the API sends them.</summary>
internal static class ResponsesWriter
{
    /// <summary>The response object; <paramref name="final"/> false writes the in-progress shape (no output, no usage),
    /// queued for a background request.</summary>
    public static void WriteResponse(Utf8JsonWriter w, ResponsesAnswer a, bool final)
    {
        var req = a.Request;
        w.WriteStartObject();
        w.WriteString("id"u8, a.Id);
        w.WriteString("object"u8, "response");
        w.WriteNumber("created_at"u8, a.CreatedAt);
        w.WriteString("status"u8, final ? a.Status : req.Background && !req.Stream ? "queued" : "in_progress");
        w.WriteBoolean("background"u8, req.Background);
        w.WriteNull("error"u8);
        if (final && a.Incomplete)
        {
            w.WriteStartObject("incomplete_details"u8);
            w.WriteString("reason"u8, "max_output_tokens");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details"u8);
        }
        WriteRawOr(w, "instructions"u8, req.Instructions, "null"u8);
        if (req.Chat.MaxTokens is int max)
        {
            w.WriteNumber("max_output_tokens"u8, max);
        }
        else
        {
            w.WriteNull("max_output_tokens"u8);
        }
        w.WriteNull("max_tool_calls"u8);
        w.WriteString("model"u8, req.Chat.Model);
        w.WriteStartArray("output"u8);
        if (final)
        {
            WriteOutputItems(w, a);
        }
        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls"u8, req.Chat.ParallelToolCalls);
        JsonShape.WriteNullable(w, "previous_response_id"u8, req.PreviousResponseId);
        WriteReasoning(w, req);
        w.WriteString("service_tier"u8, "default");
        w.WriteBoolean("store"u8, req.Store);
        w.WriteNumber("temperature"u8, req.Temperature);
        WriteText(w, req);
        if (req.ToolChoice is { } choice)
        {
            w.WritePropertyName("tool_choice"u8);
            choice.WriteTo(w);
        }
        else
        {
            w.WriteString("tool_choice"u8, "auto");
        }
        WriteRawOr(w, "tools"u8, req.Tools, "[]"u8);
        w.WriteNumber("top_logprobs"u8, 0);
        w.WriteNumber("top_p"u8, req.TopP);
        w.WriteString("truncation"u8, "disabled");
        if (final)
        {
            WriteUsage(w, a);
        }
        else
        {
            w.WriteNull("usage"u8);
        }
        w.WriteNull("user"u8);
        WriteRawOr(w, "metadata"u8, req.Metadata, "{}"u8);
        w.WriteEndObject();
    }

    public static void WriteOutputItems(Utf8JsonWriter w, ResponsesAnswer a)
    {
        if (!a.IsToolCall)
        {
            WriteMessageItem(w, a, done: true);
            return;
        }
        for (int i = 0; i < a.Choice.ToolCalls!.Count; i++)
        {
            WriteCallItem(w, a, i, done: true);
        }
    }

    public static void WriteMessageItem(Utf8JsonWriter w, ResponsesAnswer a, bool done)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, a.MessageId);
        w.WriteString("type"u8, "message");
        w.WriteString("status"u8, done ? a.Status : "in_progress");
        w.WriteStartArray("content"u8);
        if (done)
        {
            WriteTextPart(w, a.Choice.Content);
        }
        w.WriteEndArray();
        w.WriteString("role"u8, "assistant");
        w.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "output_text");
        w.WriteStartArray("annotations"u8);
        w.WriteEndArray();
        w.WriteStartArray("logprobs"u8);
        w.WriteEndArray();
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    public static void WriteCallItem(Utf8JsonWriter w, ResponsesAnswer a, int index, bool done)
    {
        var call = a.Choice.ToolCalls![index];
        w.WriteStartObject();
        w.WriteString("id"u8, a.CallItemIds[index]);
        w.WriteString("type"u8, "function_call");
        w.WriteString("status"u8, done ? (a.Incomplete ? "incomplete" : "completed") : "in_progress");
        w.WriteString("arguments"u8, done ? call.Arguments : "");
        w.WriteString("call_id"u8, call.Id);
        w.WriteString("name"u8, call.Name);
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, ResponsesAnswer a)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, a.InputTokens);
        w.WriteStartObject("input_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens"u8, a.OutputTokens);
        w.WriteStartObject("output_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens"u8, a.InputTokens + a.OutputTokens);
        w.WriteEndObject();
    }

    private static void WriteReasoning(Utf8JsonWriter w, ResponsesRequest req)
    {
        w.WriteStartObject("reasoning"u8);
        string? effort = req.Reasoning is { } r ? JsonShape.GetString(r, "effort") : null;
        string? summary = req.Reasoning is { } s ? JsonShape.GetString(s, "summary") : null;
        JsonShape.WriteNullable(w, "effort"u8, effort);
        JsonShape.WriteNullable(w, "summary"u8, summary);
        w.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter w, ResponsesRequest req)
    {
        w.WriteStartObject("text"u8);
        w.WritePropertyName("format"u8);
        if (req.Text is { } text && JsonShape.TryGetNonNull(text, "format", out var format))
        {
            format.WriteTo(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "text");
            w.WriteEndObject();
        }
        w.WriteString("verbosity"u8, req.Text is { } t ? JsonShape.GetString(t, "verbosity") ?? "medium" : "medium");
        w.WriteEndObject();
    }

    /// <summary>The request's value as sent, or <paramref name="absent"/> (raw JSON) when the request had none.</summary>
    private static void WriteRawOr(Utf8JsonWriter w, ReadOnlySpan<byte> name, JsonElement? value, ReadOnlySpan<byte> absent)
    {
        w.WritePropertyName(name);
        if (value is { } v)
        {
            v.WriteTo(w);
        }
        else
        {
            w.WriteRawValue(absent);
        }
    }
}
