using Switchboard.Translation;
using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Reads an OpenAI Chat Completions request body into a <see cref="ChatRequest"/>, or says precisely
/// what is wrong with it. Accepts every shape the OpenAI API accepts (string or array content, legacy
/// <c>functions</c>/<c>function_call</c>, <c>max_tokens</c> or <c>max_completion_tokens</c>, ...) plus
/// the common extensions of OpenAI-compatible servers (<c>top_k</c>, <c>reasoning_content</c>,
/// <c>thinking_blocks</c>, <c>cache_control</c> on parts). Top-level members with no canonical field are
/// kept raw in <see cref="ChatRequest.Extensions"/>.
/// </summary>
public static partial class OpenAIChatRequestReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    /// <summary>Reads a request body (UTF-8 JSON).</summary>
    public static ReadResult<ChatRequest> Read(ReadOnlySpan<byte> utf8Json)
    {
        if (WireDocument.CheckRequestBody(utf8Json) is { } unreadable)
        {
            return unreadable;
        }
        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            if (!WireDocument.TryOpenObject(ref reader, "request body", out var notObject))
            {
                return notObject;
            }
            var request = ReadRequest(ref reader);
            return reader.Read()
                ? new ValidationError(null, "request body has data after the JSON object", ValidationError.InvalidJson)
                : request;
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, "request body");
        }
    }

    private static ChatRequest ReadRequest(ref Utf8JsonReader reader)
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
        return Build(r);
    }

    private static ChatRequest Build(RawRequest r)
    {
        if (string.IsNullOrEmpty(r.Model))
        {
            throw r.Model is null ? Missing("model") : Fail("model", "must be a non-empty string");
        }
        if (r.Messages is null || r.Messages.Count == 0)
        {
            throw r.Messages is null ? Missing("messages") : Fail("messages", "must be a non-empty array");
        }

        var hints = DialectHints.None;
        var tools = r.Tools;
        var toolChoice = r.ToolChoice;
        if (r.Functions is { } functions)
        {
            if (tools is null)
            {
                tools = OpenAIChatToolsReader.ReadLegacyFunctions(functions);
                hints = hints with { LegacyFunctions = true };
            }
            else
            {
                r.Extensions.Add(new ExtensionField("functions", functions));
            }
        }
        if (r.FunctionCall is { } functionCall)
        {
            if (toolChoice is null)
            {
                toolChoice = OpenAIChatToolsReader.ReadLegacyFunctionCall(functionCall);
                hints = hints with { LegacyFunctions = true };
            }
            else
            {
                r.Extensions.Add(new ExtensionField("function_call", functionCall));
            }
        }

        int? maxTokens = r.MaxCompletionTokens;
        if (r.MaxTokens is { } legacyMax)
        {
            if (maxTokens is null)
            {
                maxTokens = legacyMax;
                hints = hints with { MaxTokensField = OpenAIChatDialect.MaxTokens };
            }
            else
            {
                // Both spellings: max_completion_tokens is the one OpenAI honours; keep the other verbatim.
                r.Extensions.Add(new ExtensionField(OpenAIChatDialect.MaxTokens, RawJson.Number(legacyMax)));
            }
        }
        if (r.StopAsString)
        {
            hints = hints with { StopAsString = true };
        }

        return new ChatRequest
        {
            Model = r.Model,
            Messages = [.. r.Messages],
            Tools = tools is null ? [] : [.. tools],
            ToolChoice = toolChoice,
            ParallelToolCalls = r.ParallelToolCalls,
            ResponseFormat = r.ResponseFormat,
            MaxOutputTokens = maxTokens,
            Temperature = r.Temperature,
            TopP = r.TopP,
            TopK = r.TopK,
            FrequencyPenalty = r.FrequencyPenalty,
            PresencePenalty = r.PresencePenalty,
            StopSequences = r.Stop is null ? [] : [.. r.Stop],
            N = r.N,
            Seed = r.Seed,
            Stream = r.Stream,
            IncludeUsage = r.IncludeUsage,
            StreamOptionsExtensions = [.. r.StreamOptionsExtensions],
            Reasoning = r.ReasoningEffort is null ? null : new ReasoningOptions { Effort = r.ReasoningEffort },
            Logprobs = r.Logprobs,
            TopLogprobs = r.TopLogprobs,
            User = r.User,
            Metadata = r.Metadata?.ToImmutableDictionary(StringComparer.Ordinal),
            Extensions = [.. r.Extensions],
            Hints = hints,
            SourceDialect = OpenAIChatDialect.Name,
        };
    }

    /// <summary>Members as read; the request is assembled once all are known.</summary>
    private sealed class RawRequest
    {
        public string? Model;
        public List<Message>? Messages;
        public List<ToolDefinition>? Tools;
        public ToolChoice? ToolChoice;
        public JsonElement? Functions;
        public JsonElement? FunctionCall;
        public bool? ParallelToolCalls;
        public ResponseFormat? ResponseFormat;
        public int? MaxTokens;
        public int? MaxCompletionTokens;
        public double? Temperature;
        public double? TopP;
        public int? TopK;
        public double? FrequencyPenalty;
        public double? PresencePenalty;
        public List<string>? Stop;
        public bool StopAsString;
        public int? N;
        public long? Seed;
        public bool? Stream;
        public bool? IncludeUsage;
        public readonly List<ExtensionField> StreamOptionsExtensions = [];
        public string? ReasoningEffort;
        public bool? Logprobs;
        public int? TopLogprobs;
        public string? User;
        public Dictionary<string, string>? Metadata;
        public readonly List<ExtensionField> Extensions = [];
    }
}
