using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Writes a canonical <see cref="ChatResponse"/> as a Responses API response object (<c>object: "response"</c>), the
/// way OpenAI does: output items for the reasoning (summary, <c>encrypted_content</c> from the thinking signature),
/// the assistant message (<c>output_text</c> with <c>annotations: []</c>, or <c>refusal</c>), and each tool call
/// (<c>function_call</c>, or <c>custom_tool_call</c> for the request's custom tools); <c>status</c> completed, or
/// incomplete with <c>incomplete_details.reason</c>; usage in Responses terms; and the request's settings echoed.
/// The request is needed for that echo and to know which tools are custom.
/// </summary>
public static partial class ResponsesResponseWriter
{
    /// <summary>Writes the body into <paramref name="output"/>; <paramref name="model"/> replaces the upstream's model name.</summary>
    public static void Write(ChatResponse response, ChatRequest request, IBufferWriter<byte> output, string? model = null)
    {
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        Write(response, request, writer, model);
        writer.Flush();
    }

    public static byte[] WriteToUtf8Bytes(ChatResponse response, ChatRequest request, string? model = null)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(response, request, buffer, model);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(ChatResponse response, ChatRequest request, Utf8JsonWriter writer, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        var choice = response.Choices.IsDefaultOrEmpty ? null : response.Choices[0];
        var items = choice is null ? [] : ItemsOf(choice.Message, request);
        var (status, reason) = StatusOf(choice?.FinishReason);
        var head = new ResponsesClientHead(ResponseId(response.Id), response.Created, model ?? response.Model, status)
        {
            IncompleteReason = reason,
            Usage = response.Usage,
        };
        WriteObject(writer, head, items, request);
    }

    /// <summary>The client-facing response id: the upstream's when it is already a Responses id, else a new one.</summary>
    internal static string ResponseId(string upstreamId) =>
        upstreamId.StartsWith("resp_", StringComparison.Ordinal) ? upstreamId : ResponsesClientItem.NewId("resp");

    /// <summary>completed, or incomplete with OpenAI's reason for a cut-off or filtered answer.</summary>
    internal static (string Status, string? Reason) StatusOf(FinishReason? finish) => finish?.Kind switch
    {
        FinishReasonKind.Length => (ResponsesEventTypes.StatusIncomplete, ResponsesEventTypes.MaxOutputTokens),
        FinishReasonKind.ContentFilter => (ResponsesEventTypes.StatusIncomplete, ResponsesEventTypes.ContentFilter),
        _ => (ResponsesEventTypes.StatusCompleted, null),
    };

    /// <summary>The output items of an assistant message, in its order: consecutive text and refusal parts share one
    /// message item, each thinking part is a reasoning item, each tool call a call item.</summary>
    private static List<ResponsesClientItem> ItemsOf(Message message, ChatRequest request)
    {
        var items = new List<ResponsesClientItem>();
        ResponsesClientItem? text = null;
        foreach (var part in message.Parts)
        {
            switch (part)
            {
                case TextPart t:
                    text ??= Add(items, new ResponsesClientItem(ResponsesItemTypes.Message, ResponsesClientItem.NewId("msg")));
                    text.Parts.Add((false, new(t.Text)));
                    break;
                case RefusalPart r:
                    text ??= Add(items, new ResponsesClientItem(ResponsesItemTypes.Message, ResponsesClientItem.NewId("msg")));
                    text.Parts.Add((true, new(r.Refusal)));
                    break;
                case ThinkingPart thinking:
                    text = null;
                    var reasoning = Add(items, new ResponsesClientItem(ResponsesItemTypes.Reasoning, ReasoningId(thinking)));
                    if (thinking.Text.Length > 0)
                    {
                        reasoning.Summary.Add(new(thinking.Text));
                    }
                    reasoning.EncryptedContent = thinking.Signature;
                    break;
                case RedactedThinkingPart redacted:
                    text = null;
                    Add(items, new ResponsesClientItem(ResponsesItemTypes.Reasoning, ResponsesClientItem.NewId("rs"))).EncryptedContent = redacted.Data;
                    break;
                case ToolCallPart call:
                    text = null;
                    var custom = call.Kind == ToolCallKind.Custom || ResponsesClientCustomTools.IsCustom(request, call.Name);
                    var (space, name) = ResponsesNamespaces.Split(request, call.Name);
                    var item = Add(items, new ResponsesClientItem(
                        custom ? ResponsesItemTypes.CustomToolCall : ResponsesItemTypes.FunctionCall,
                        ResponsesClientItem.NewId(custom ? "ctc" : "fc"))
                    {
                        CallId = call.Id ?? ResponsesClientItem.NewId("call"),
                        Namespace = space,
                        Name = name,
                    });
                    item.Arguments.Append(custom && call.Kind != ToolCallKind.Custom ? ResponsesClientCustomTools.InputOf(call.Arguments) : call.Arguments);
                    break;
                case ProviderPart { Dialect: ResponsesDialect.Name } hosted:
                    text = null;
                    Add(items, new ResponsesClientItem(hosted.Type, "") { Raw = hosted.Raw });
                    break;
            }
        }
        foreach (var item in items)
        {
            item.Done = true;
        }
        return items;
    }

    private static string ReasoningId(ThinkingPart thinking) =>
        ExtensionField.Find(thinking.Extensions, "id") is { Value.ValueKind: JsonValueKind.String } id
            ? id.Value.GetString()!
            : ResponsesClientItem.NewId("rs");

    private static ResponsesClientItem Add(List<ResponsesClientItem> items, ResponsesClientItem item)
    {
        items.Add(item);
        return item;
    }
}
