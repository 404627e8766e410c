using System.Text.Json;
using Switchboard.Http;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// One output item of a Responses answer as the client writers build it: a message (text and refusal parts), a
/// reasoning item (summary texts, encrypted content), a function or custom tool call, or a hosted item kept raw.
/// Filled all at once by <see cref="ResponsesResponseWriter"/> and piece by piece by <see cref="ResponsesStreamWriter"/>,
/// which then writes the same items into its final <c>response.completed</c>.
/// </summary>
internal sealed class ResponsesClientItem(string type, string id)
{
    public string Type { get; } = type;

    public string Id { get; } = id;

    /// <summary>Message content parts in order (<c>output_text</c> or <c>refusal</c>).</summary>
    public List<(bool Refusal, ResponsesItemText Text)> Parts { get; } = [];

    /// <summary>Reasoning summary texts.</summary>
    public List<ResponsesItemText> Summary { get; } = [];

    /// <summary>Reasoning <c>encrypted_content</c>.</summary>
    public string? EncryptedContent { get; set; }

    public string? CallId { get; init; }

    public string? Name { get; init; }

    /// <summary>The namespace of the called tool, when it is in one.</summary>
    public string? Namespace { get; init; }

    /// <summary>Function arguments (JSON text) or custom tool input (free text).</summary>
    public ResponsesItemText Arguments { get; } = new();

    /// <summary>A hosted item (web_search_call, ...) as the upstream sent it.</summary>
    public JsonElement? Raw { get; init; }

    public bool Done { get; set; }

    /// <remarks>
    /// Time-ordered (milliseconds first), as OpenAI's own ids are: a stored response is then appended at the end of the
    /// table's id index instead of landing on a random page of it, which on a large store costs a page write per response.
    /// </remarks>
    public static string NewId(string prefix) => WireIds.TimeOrdered(prefix + "_");

    /// <summary>Writes the item object (<c>status</c> completed, or in_progress while it is still open).</summary>
    public void Write(Utf8JsonWriter writer)
    {
        if (Raw is { } raw)
        {
            raw.WriteTo(writer);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("type"u8, Type);
        var status = Done ? "completed"u8 : "in_progress"u8;
        switch (Type)
        {
            case ResponsesItemTypes.Reasoning:
                if (EncryptedContent is not null)
                {
                    writer.WriteString("encrypted_content"u8, EncryptedContent);
                }
                writer.WriteStartArray("summary"u8);
                foreach (var text in Summary)
                {
                    WriteSummaryPart(writer, text.ToString());
                }
                writer.WriteEndArray();
                break;
            case ResponsesItemTypes.Message:
                writer.WriteString("status"u8, status);
                writer.WriteStartArray("content"u8);
                foreach (var (refusal, text) in Parts)
                {
                    WriteContentPart(writer, refusal, text.ToString());
                }
                writer.WriteEndArray();
                writer.WriteString("role"u8, "assistant"u8);
                break;
            case ResponsesItemTypes.CustomToolCall:
                writer.WriteString("status"u8, status);
                writer.WriteString("call_id"u8, CallId);
                WriteName(writer);
                writer.WriteString("input"u8, Arguments.ToString());
                break;
            default:
                writer.WriteString("status"u8, status);
                writer.WriteString("arguments"u8, Arguments.ToString());
                writer.WriteString("call_id"u8, CallId);
                WriteName(writer);
                break;
        }
        writer.WriteEndObject();
    }

    private void WriteName(Utf8JsonWriter writer)
    {
        if (Namespace is not null)
        {
            writer.WriteString("namespace"u8, Namespace);
        }
        writer.WriteString("name"u8, Name);
    }

    public static void WriteSummaryPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, ResponsesItemTypes.SummaryText);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    public static void WriteContentPart(Utf8JsonWriter writer, bool refusal, string text)
    {
        writer.WriteStartObject();
        if (refusal)
        {
            writer.WriteString("type"u8, ResponsesItemTypes.Refusal);
            writer.WriteString("refusal"u8, text);
        }
        else
        {
            writer.WriteString("type"u8, ResponsesItemTypes.OutputText);
            writer.WriteStartArray("annotations"u8);
            writer.WriteEndArray();
            writer.WriteStartArray("logprobs"u8);
            writer.WriteEndArray();
            writer.WriteString("text"u8, text);
        }
        writer.WriteEndObject();
    }
}
