using Switchboard.Translation;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Reads an Anthropic <c>message</c> body (the non-streamed answer of <c>/v1/messages</c>) into a
/// <see cref="ChatResponse"/> with one choice: its content blocks in order as parts (see
/// <see cref="AnthropicBlockReader"/>), <c>stop_reason</c> as the finish reason
/// (<see cref="AnthropicStopReasons"/>), and usage in OpenAI's accounting (prompt = input + cache reads +
/// cache writes). <c>stop_sequence</c>, the extra usage members and unknown top-level members
/// (<c>container</c>, <c>context_management</c>, ...) are kept raw for <see cref="AnthropicMessagesResponseWriter"/>.
/// </summary>
public static class AnthropicMessagesResponseReader
{
    /// <summary>Name of the raw extension holding the usage members with no canonical field.</summary>
    internal const string UsageExtras = "usage";

    /// <summary>Reads a response body (UTF-8 JSON).</summary>
    public static ReadResult<ChatResponse> Read(ReadOnlySpan<byte> utf8Json, AnthropicReadOptions? options = null)
    {
        options ??= AnthropicReadOptions.Default;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!WireDocument.TryOpenObject(ref reader, "response body", out var notObject))
            {
                return notObject;
            }
            return ReadResponse(ref reader, options);
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, "response body");
        }
    }

    private static ChatResponse ReadResponse(ref Utf8JsonReader reader, AnthropicReadOptions options)
    {
        string? id = null;
        string? model = null;
        string? type = null;
        List<ContentPart>? content = null;
        string? stopReason = null;
        AnthropicTokens? tokens = null;
        List<ExtensionField>? usageExtras = null;
        var extensions = new List<ExtensionField>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TryReadString(ref reader, "id"u8, "", ref id)
                || TryReadString(ref reader, "type"u8, "", ref type)
                || TryReadString(ref reader, "model"u8, "", ref model)
                || TryReadString(ref reader, "stop_reason"u8, "", ref stopReason))
            {
                continue;
            }
            if (reader.ValueTextEquals("role"u8))
            {
                SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw WrongType("content", "an array");
                }
                content = AnthropicBlockReader.ReadContent(ref reader, "content", out _, new Dictionary<string, string>(StringComparer.Ordinal));
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                ReadValue(ref reader);
                tokens = reader.TokenType == JsonTokenType.Null ? null : AnthropicTokens.Read(ref reader, "usage", ref usageExtras);
            }
            else
            {
                // stop_sequence, stop_details, container, context_management, ...
                var name = reader.GetString()!;
                ReadValue(ref reader);
                var value = JsonElement.ParseValue(ref reader);
                if (!(name == "stop_sequence" && value.ValueKind == JsonValueKind.Null))
                {
                    extensions.Add(new ExtensionField(name, value));
                }
            }
        }
        if (type == "error")
        {
            throw Fail(null, "the body is an error, not a message");
        }
        var parts = content ?? throw Missing("content");
        var finish = stopReason is null ? null : AnthropicStopReasons.FromWire(stopReason);
        if (options.JsonToolName is { } jsonTool && ReadJsonAnswer(parts, jsonTool) && finish?.Kind == FinishReasonKind.ToolCalls && !HasToolCall(parts))
        {
            finish = AnthropicStopReasons.JsonAnswer;
        }
        if (usageExtras is not null)
        {
            extensions.Add(new ExtensionField(UsageExtras, ObjectOf(usageExtras)));
        }

        // Form stays Auto: an answer's blocks say nothing about how another dialect should spell its text
        // (OpenAI clients expect a string).
        var message = new Message { Role = ChatRole.Assistant, Parts = [.. parts] };
        return new ChatResponse
        {
            Id = id ?? "",
            Model = model ?? "",
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Choices = [new ChatChoice(0, message) { FinishReason = finish }],
            Usage = tokens?.ToUsage(),
            Extensions = [.. extensions],
            SourceDialect = AnthropicMessagesDialect.Name,
        };
    }

    /// <summary>JSON mode: the answer tool's call becomes the answer text. True when there was one.</summary>
    private static bool ReadJsonAnswer(List<ContentPart> parts, string jsonTool)
    {
        var found = false;
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is ToolCallPart call && call.Name == jsonTool)
            {
                parts[i] = new TextPart(call.Arguments);
                found = true;
            }
        }
        return found;
    }

    private static bool HasToolCall(List<ContentPart> parts)
    {
        foreach (var part in parts)
        {
            if (part is ToolCallPart)
            {
                return true;
            }
        }
        return false;
    }

    private static JsonElement ObjectOf(List<ExtensionField> members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireWriting.WriterOptions))
        {
            writer.WriteStartObject();
            WireWriting.WriteExtensions(writer, [.. members]);
            writer.WriteEndObject();
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
