using Switchboard.Translation;
using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Writes a <see cref="ChatRequest"/> as an OpenAI Chat Completions request body. A request read by
/// <see cref="OpenAIChatRequestReader"/> comes back member for member (same values, same spellings,
/// extensions included); one from another dialect is written in current OpenAI form. Only the
/// model id changes, to the upstream's.
/// </summary>
public static class OpenAIChatRequestWriter
{
    /// <summary>Writes the body into <paramref name="output"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="output">Destination of the UTF-8 JSON.</param>
    /// <param name="upstreamModel">Model id to send instead of <see cref="ChatRequest.Model"/>; null keeps it.</param>
    /// <param name="adjustments">Notes the fields adapted or left out for the upstream model; null: not noted.</param>
    public static void Write(ChatRequest request, IBufferWriter<byte> output, string? upstreamModel = null, RequestAdjustments? adjustments = null)
    {
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        Write(request, writer, upstreamModel, adjustments);
        writer.Flush();
    }

    /// <summary>Writes the body; returns what the request holds that Chat Completions cannot express (nothing
    /// useful is left in <paramref name="output"/> then), or null.</summary>
    public static ValidationError? TryWrite(ChatRequest request, IBufferWriter<byte> output, string? upstreamModel = null, RequestAdjustments? adjustments = null)
    {
        try
        {
            Write(request, output, upstreamModel, adjustments);
            return null;
        }
        catch (WireFormatException e)
        {
            return e.Error;
        }
    }

    /// <summary>Writes the body as a new byte array.</summary>
    public static byte[] WriteToUtf8Bytes(ChatRequest request, string? upstreamModel = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(request, buffer, upstreamModel);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the body with a caller-owned writer (not flushed).</summary>
    public static void Write(ChatRequest request, Utf8JsonWriter writer, string? upstreamModel = null, RequestAdjustments? adjustments = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writer);
        var own = OpenAIChatDialect.Owns(request.SourceDialect);
        var hints = own ? request.Hints : DialectHints.None;
        request = DeferredTools.WithoutUncalled(request);

        writer.WriteStartObject();
        writer.WriteString("model"u8, upstreamModel ?? request.Model);
        writer.WriteStartArray("messages"u8);
        OpenAIChatMessageWriter.WriteMessages(writer, request.Messages, own);
        writer.WriteEndArray();

        if (request.Stream is { } stream)
        {
            writer.WriteBoolean("stream"u8, stream);
        }
        WriteStreamOptions(writer, request, own);
        if (request.MaxOutputTokens is { } maxTokens)
        {
            writer.WriteNumber(hints.MaxTokensField == OpenAIChatDialect.MaxTokens ? "max_tokens"u8 : "max_completion_tokens"u8, maxTokens);
        }
        WriteOptional(writer, "temperature"u8, request.Temperature);
        WriteOptional(writer, "top_p"u8, request.TopP);
        // OpenAI itself refuses top_k ("Unrecognized request argument"); only a client speaking OpenAI's dialect, which
        // chose an OpenAI-compatible server that takes it (vLLM, Ollama ...), gets it sent on. From Anthropic or Gemini
        // clients it is dropped.
        if (request.TopK is { } topK)
        {
            if (own) writer.WriteNumber("top_k"u8, topK);
            else adjustments?.Add("top_k");
        }
        WriteOptional(writer, "frequency_penalty"u8, request.FrequencyPenalty);
        WriteOptional(writer, "presence_penalty"u8, request.PresencePenalty);
        if (request.N is { } n)
        {
            writer.WriteNumber("n"u8, n);
        }
        if (request.Seed is { } seed)
        {
            writer.WriteNumber("seed"u8, seed);
        }
        WriteStop(writer, request, hints);
        OpenAIChatToolsWriter.WriteTools(writer, request, hints.LegacyFunctions);
        if (request.ParallelToolCalls is { } parallel)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }
        OpenAIChatToolsWriter.WriteResponseFormat(writer, request.ResponseFormat);
        WriteReasoning(writer, request, upstreamModel ?? request.Model, own, adjustments);
        if (request.Logprobs is { } logprobs)
        {
            writer.WriteBoolean("logprobs"u8, logprobs);
        }
        if (request.TopLogprobs is { } topLogprobs)
        {
            writer.WriteNumber("top_logprobs"u8, topLogprobs);
        }
        if (request.User is not null)
        {
            writer.WriteString("user"u8, request.User);
        }
        if (request.Metadata is { } metadata)
        {
            writer.WriteStartObject("metadata"u8);
            foreach (var (key, value) in metadata)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        if (own)
        {
            WireWriting.WriteExtensions(writer, request.Extensions);
        }
        writer.WriteEndObject();
    }

    private static void WriteStreamOptions(Utf8JsonWriter writer, ChatRequest request, bool own)
    {
        var extensions = own ? request.StreamOptionsExtensions : [];
        if (request.IncludeUsage is null && extensions.IsEmpty)
        {
            return;
        }
        writer.WriteStartObject("stream_options"u8);
        if (request.IncludeUsage is { } includeUsage)
        {
            writer.WriteBoolean("include_usage"u8, includeUsage);
        }
        WireWriting.WriteExtensions(writer, extensions);
        writer.WriteEndObject();
    }

    private static void WriteStop(Utf8JsonWriter writer, ChatRequest request, DialectHints hints)
    {
        var stop = request.StopSequences;
        if (stop.IsDefaultOrEmpty)
        {
            return;
        }
        if (stop.Length == 1 && hints.StopAsString)
        {
            writer.WriteString("stop"u8, stop[0]);
            return;
        }
        writer.WriteStartArray("stop"u8);
        foreach (var sequence in stop)
        {
            writer.WriteStringValue(sequence);
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// OpenAI takes an effort level only; a budget from another dialect becomes the nearest level. OpenAI's
    /// non-reasoning models refuse the parameter: from another dialect (where thinking is a hint the client sends to any
    /// model, as Claude Code does) it is left out for them and noted; an OpenAI client's own choice goes as sent.
    /// </summary>
    private static void WriteReasoning(Utf8JsonWriter writer, ChatRequest request, string model, bool own, RequestAdjustments? adjustments)
    {
        var reasoning = request.Reasoning;
        if (reasoning is null)
        {
            return;
        }
        if (!own && OpenAIModelFamilies.RefusesReasoningEffort(model))
        {
            if (reasoning.Enabled != false && (reasoning.BudgetTokens > 0 || reasoning.Effort is { } asked && asked != ReasoningEfforts.None))
            {
                adjustments?.Add(RequestAdjustments.ReasoningField(request.SourceDialect));
            }
            return;
        }
        var effort = reasoning.Effort;
        if (effort is null && reasoning.BudgetTokens is { } budget)
        {
            effort = ReasoningEfforts.FromBudget(budget);
        }
        if (effort is not null)
        {
            writer.WriteString("reasoning_effort"u8, effort);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
