using Switchboard.Translation;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Reads an Anthropic Messages request body (what Claude Code and the Anthropic SDKs send to
/// <c>POST /v1/messages</c>) into a <see cref="ChatRequest"/>, or says precisely what is wrong with it.
/// </summary>
/// <remarks>
/// <para>The top-level <c>system</c> becomes a leading <see cref="ChatRole.System"/> message (string or
/// blocks, as sent); each message keeps its role and its blocks in order (see
/// <see cref="AnthropicBlockReader"/>: tool results stay in their user turn); server tools (a
/// <c>type</c> other than <c>custom</c>) become <see cref="ProviderTool"/>s; <c>thinking</c> and
/// <c>output_config.effort</c> become <see cref="ReasoningOptions"/>; <c>output_config.format</c> (structured
/// output) becomes <see cref="ChatRequest.ResponseFormat"/>; <c>metadata.user_id</c> becomes
/// <see cref="ChatRequest.User"/>; <c>tool_choice.disable_parallel_tool_use</c> becomes
/// <see cref="ChatRequest.ParallelToolCalls"/>.</para>
/// <para>Everything else (<c>context_management</c>, <c>output_config</c>, <c>service_tier</c>,
/// <c>container</c>, <c>mcp_servers</c>, ...) is kept raw in <see cref="ChatRequest.Extensions"/>, so
/// <see cref="AnthropicMessagesRequestWriter"/> gives back what was read.</para>
/// </remarks>
public static partial class AnthropicMessagesRequestReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    /// <summary>Reads a <c>/v1/messages</c> request body (UTF-8 JSON).</summary>
    public static ReadResult<ChatRequest> Read(ReadOnlySpan<byte> utf8Json) => Read(utf8Json, countTokens: false);

    /// <summary>Reads a <c>/v1/messages/count_tokens</c> body: the same shape without <c>max_tokens</c>.</summary>
    public static ReadResult<ChatRequest> ReadCountTokens(ReadOnlySpan<byte> utf8Json) => Read(utf8Json, countTokens: true);

    private static ReadResult<ChatRequest> Read(ReadOnlySpan<byte> utf8Json, bool countTokens)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new ValidationError(null, "request body is empty", ValidationError.InvalidJson);
        }
        if (JsonTextCheck.Check(utf8Json) is { } notUnicode)
        {
            return notUnicode;
        }
        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            if (!WireDocument.TryOpenObject(ref reader, "request body", out var notObject))
            {
                return notObject;
            }
            var request = ReadRequest(ref reader, countTokens);
            return reader.Read()
                ? new ValidationError(null, "request body has data after the JSON object", ValidationError.InvalidJson)
                : request;
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, "request body");
        }
    }

    private static ChatRequest ReadRequest(ref Utf8JsonReader reader, bool countTokens)
    {
        var r = new RawRequest();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!ReadKnownMember(ref reader, r))
            {
                var name = reader.GetString()!;
                ReadValue(ref reader);
                r.Extensions.Add(new ExtensionField(name, JsonElement.ParseValue(ref reader)));
            }
        }
        return Build(r, countTokens);
    }

    private static ChatRequest Build(RawRequest r, bool countTokens)
    {
        if (string.IsNullOrEmpty(r.Model))
        {
            throw r.Model is null ? Missing("model") : Fail("model", "must be a non-empty string");
        }
        if (r.Messages is null)
        {
            throw Missing("messages");
        }
        if (r.MaxTokens is null && !countTokens)
        {
            throw Missing("max_tokens");
        }

        var messages = new List<Message>(r.Messages.Count + 1);
        if (r.System is not null)
        {
            messages.Add(r.System);
        }
        messages.AddRange(r.Messages);

        var reasoning = r.Reasoning;
        if (r.Effort is not null)
        {
            // output_config stays raw for an Anthropic upstream; the effort also steers other providers.
            reasoning = (reasoning ?? new ReasoningOptions()) with { Effort = r.Effort };
        }

        return new ChatRequest
        {
            Model = r.Model,
            Messages = [.. messages],
            Tools = r.Tools is null ? [] : [.. r.Tools],
            ToolChoice = r.ToolChoice,
            ParallelToolCalls = r.ParallelToolCalls,
            MaxOutputTokens = r.MaxTokens,
            Temperature = r.Temperature,
            TopP = r.TopP,
            TopK = r.TopK,
            StopSequences = r.StopSequences is null ? [] : [.. r.StopSequences],
            Stream = r.Stream,
            Reasoning = reasoning,
            ResponseFormat = r.ResponseFormat,
            User = r.User,
            Extensions = [.. r.Extensions],
            SourceDialect = AnthropicMessagesDialect.Name,
        };
    }

    /// <summary>Members as read; the request is assembled once all are known.</summary>
    private sealed class RawRequest
    {
        public string? Model;
        public Message? System;
        public List<Message>? Messages;
        public List<ToolDefinition>? Tools;
        public ToolChoice? ToolChoice;
        public bool? ParallelToolCalls;
        public int? MaxTokens;
        public double? Temperature;
        public double? TopP;
        public int? TopK;
        public List<string>? StopSequences;
        public bool? Stream;
        public ReasoningOptions? Reasoning;
        public string? Effort;
        public ResponseFormat? ResponseFormat;
        public string? User;
        public readonly List<ExtensionField> Extensions = [];
    }
}
