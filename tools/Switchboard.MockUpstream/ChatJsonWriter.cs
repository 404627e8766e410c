using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>What one stream event carries; rendered only when it is written, so a long stream holds no chunk bytes.</summary>
internal enum ChunkKind
{
    /// <summary>First chunk of a text choice: role, empty content, null refusal.</summary>
    Role,
    /// <summary>First chunk of a choice with one tool call: role plus the call's id and name (as the API sends it).</summary>
    RoleWithToolCall,
    /// <summary>First chunk of a choice with several tool calls: role and null content only.</summary>
    RoleBare,
    ToolCallStart,
    Content,
    Arguments,
    Finish,
}

internal readonly record struct ChunkEvent(int Choice, ChunkKind Kind, int Item = 0, int Fragment = 0);

/// <summary>Renders <see cref="ChatResult"/> as a chat.completion object or as chat.completion.chunk events.</summary>
internal static class ChatJsonWriter
{
    private const string Fingerprint = "fp_mock";

    private static readonly string[] Alternatives = [" the", " a", " and", " of", " to", " in", " is", " it", " that", " for"];

    public static void WriteCompletion(Utf8JsonWriter w, ChatResult r)
    {
        WriteHead(w, r, "chat.completion");
        w.WriteStartArray("choices"u8);
        for (int i = 0; i < r.Choices.Count; i++)
        {
            var c = r.Choices[i];
            w.WriteStartObject();
            w.WriteNumber("index"u8, i);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant");
            if (c.ToolCalls is { } calls)
            {
                w.WriteNull("content"u8);
                w.WriteStartArray("tool_calls"u8);
                foreach (var call in calls)
                {
                    w.WriteStartObject();
                    w.WriteString("id"u8, call.Id);
                    w.WriteString("type"u8, "function");
                    w.WriteStartObject("function"u8);
                    w.WriteString("name"u8, call.Name);
                    w.WriteString("arguments"u8, call.Arguments);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            else
            {
                w.WriteString("content"u8, c.Content);
            }
            w.WriteNull("refusal"u8);
            w.WriteStartArray("annotations"u8);
            w.WriteEndArray();
            w.WriteEndObject();
            if (r.Logprobs && c.ToolCalls is null)
            {
                w.WriteStartObject("logprobs"u8);
                w.WriteStartArray("content"u8);
                for (int k = 0; k < c.Pieces.Count; k++)
                {
                    WriteTokenLogprob(w, c.Pieces[k], k, r.TopLogprobs);
                }
                w.WriteEndArray();
                w.WriteNull("refusal"u8);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("logprobs"u8);
            }
            w.WriteString("finish_reason"u8, c.FinishReason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteUsage(w, r);
        w.WriteString("service_tier"u8, "default");
        w.WriteString("system_fingerprint"u8, Fingerprint);
        w.WriteEndObject();
    }

    /// <summary>The event sequence of a stream: choices interleaved round-robin like the API does for n &gt; 1.</summary>
    public static List<ChunkEvent> PlanStream(ChatResult r)
    {
        var perChoice = new List<List<ChunkEvent>>(r.Choices.Count);
        int total = 0;
        for (int i = 0; i < r.Choices.Count; i++)
        {
            var c = r.Choices[i];
            var events = new List<ChunkEvent>();
            if (c.ToolCalls is not { } calls)
            {
                events.Add(new(i, ChunkKind.Role));
                for (int k = 0; k < c.Pieces.Count; k++)
                {
                    events.Add(new(i, ChunkKind.Content, k));
                }
            }
            else
            {
                events.Add(new(i, calls.Count == 1 ? ChunkKind.RoleWithToolCall : ChunkKind.RoleBare));
                for (int k = 0; k < calls.Count; k++)
                {
                    if (calls.Count > 1)
                    {
                        events.Add(new(i, ChunkKind.ToolCallStart, k));
                    }
                    for (int f = 0; f < calls[k].Fragments.Count; f++)
                    {
                        events.Add(new(i, ChunkKind.Arguments, k, f));
                    }
                }
            }
            events.Add(new(i, ChunkKind.Finish));
            perChoice.Add(events);
            total += events.Count;
        }
        if (perChoice.Count == 1)
        {
            return perChoice[0];
        }
        var plan = new List<ChunkEvent>(total);
        for (int step = 0; plan.Count < total; step++)
        {
            foreach (var events in perChoice)
            {
                if (step < events.Count)
                {
                    plan.Add(events[step]);
                }
            }
        }
        return plan;
    }

    public static void WriteChunk(Utf8JsonWriter w, ChatResult r, ChunkEvent e)
    {
        WriteChunkStart(w, r);
        var c = r.Choices[e.Choice];
        w.WriteStartObject();
        w.WriteNumber("index"u8, e.Choice);
        w.WriteStartObject("delta"u8);
        bool textLogprobs = r.Logprobs && c.ToolCalls is null;
        switch (e.Kind)
        {
            case ChunkKind.Role:
                w.WriteString("role"u8, "assistant");
                w.WriteString("content"u8, "");
                w.WriteNull("refusal"u8);
                break;
            case ChunkKind.RoleWithToolCall:
                w.WriteString("role"u8, "assistant");
                w.WriteNull("content"u8);
                w.WriteStartArray("tool_calls"u8);
                WriteToolCallStart(w, c.ToolCalls![0], 0);
                w.WriteEndArray();
                w.WriteNull("refusal"u8);
                break;
            case ChunkKind.RoleBare:
                w.WriteString("role"u8, "assistant");
                w.WriteNull("content"u8);
                break;
            case ChunkKind.ToolCallStart:
                w.WriteStartArray("tool_calls"u8);
                WriteToolCallStart(w, c.ToolCalls![e.Item], e.Item);
                w.WriteEndArray();
                break;
            case ChunkKind.Content:
                w.WriteString("content"u8, c.Pieces[e.Item]);
                break;
            case ChunkKind.Arguments:
                w.WriteStartArray("tool_calls"u8);
                w.WriteStartObject();
                w.WriteNumber("index"u8, e.Item);
                w.WriteStartObject("function"u8);
                w.WriteString("arguments"u8, c.ToolCalls![e.Item].Fragments[e.Fragment]);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                break;
            case ChunkKind.Finish:
                break;
        }
        w.WriteEndObject();

        if (textLogprobs && e.Kind is ChunkKind.Role or ChunkKind.Content)
        {
            w.WriteStartObject("logprobs"u8);
            w.WriteStartArray("content"u8);
            if (e.Kind == ChunkKind.Content)
            {
                WriteTokenLogprob(w, c.Pieces[e.Item], e.Item, r.TopLogprobs);
            }
            w.WriteEndArray();
            w.WriteNull("refusal"u8);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("logprobs"u8);
        }
        if (e.Kind == ChunkKind.Finish)
        {
            w.WriteString("finish_reason"u8, c.FinishReason);
        }
        else
        {
            w.WriteNull("finish_reason"u8);
        }
        w.WriteEndObject();
        w.WriteEndArray();
        if (r.IncludeUsage)
        {
            w.WriteNull("usage"u8);
        }
        w.WriteEndObject();
    }

    /// <summary>The last chunk when stream_options.include_usage is set: no choices, the request's usage.</summary>
    public static void WriteUsageChunk(Utf8JsonWriter w, ChatResult r)
    {
        WriteChunkStart(w, r);
        w.WriteEndArray();
        WriteUsage(w, r);
        w.WriteEndObject();
    }

    /// <summary>Opens a completion or a chunk with the members both start with.</summary>
    private static void WriteHead(Utf8JsonWriter w, ChatResult r, string objectType)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, r.Id);
        w.WriteString("object"u8, objectType);
        w.WriteNumber("created"u8, r.Created);
        w.WriteString("model"u8, r.Model);
    }

    private static void WriteChunkStart(Utf8JsonWriter w, ChatResult r)
    {
        WriteHead(w, r, "chat.completion.chunk");
        w.WriteString("service_tier"u8, "default");
        w.WriteString("system_fingerprint"u8, Fingerprint);
        w.WriteStartArray("choices"u8);
    }

    private static void WriteToolCallStart(Utf8JsonWriter w, ToolCallResult call, int index)
    {
        w.WriteStartObject();
        w.WriteNumber("index"u8, index);
        w.WriteString("id"u8, call.Id);
        w.WriteString("type"u8, "function");
        w.WriteStartObject("function"u8);
        w.WriteString("name"u8, call.Name);
        w.WriteString("arguments"u8, "");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, ChatResult r)
    {
        int completion = r.CompletionTokens;
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, r.PromptTokens);
        w.WriteNumber("completion_tokens"u8, completion);
        w.WriteNumber("total_tokens"u8, r.PromptTokens + completion);
        w.WriteStartObject("prompt_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteNumber("accepted_prediction_tokens"u8, 0);
        w.WriteNumber("rejected_prediction_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A ChatCompletionTokenLogprob: deterministic values, the chosen token first among the alternatives.</summary>
    private static void WriteTokenLogprob(Utf8JsonWriter w, string token, int position, int top)
    {
        double logprob = -0.01 * ((position * 7 % 13) + 1);
        WriteLogprobEntry(w, token, logprob, withTop: true, top);
    }

    private static void WriteLogprobEntry(Utf8JsonWriter w, string token, double logprob, bool withTop, int top)
    {
        w.WriteStartObject();
        w.WriteString("token"u8, token);
        w.WriteNumber("logprob"u8, logprob);
        w.WriteStartArray("bytes"u8);
        foreach (byte b in Encoding.UTF8.GetBytes(token))
        {
            w.WriteNumberValue(b);
        }
        w.WriteEndArray();
        if (withTop)
        {
            w.WriteStartArray("top_logprobs"u8);
            for (int j = 0; j < top; j++)
            {
                WriteLogprobEntry(w, j == 0 ? token : Alternatives[(j - 1) % Alternatives.Length], logprob - (1.5 * j), withTop: false, 0);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
