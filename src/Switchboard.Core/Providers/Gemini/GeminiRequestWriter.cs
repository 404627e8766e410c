using Switchboard.Translation;
using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Writes a <see cref="ChatRequest"/> as a Gemini <c>GenerateContentRequest</c> body. The model id and
/// streaming go in the URL (<see cref="GeminiDialect.OperationPath"/>), not here.
/// </summary>
/// <remarks>
/// <para>What has a Gemini form: system and developer messages are hoisted into <c>systemInstruction</c>;
/// turns become <c>contents</c> with roles <c>user</c>/<c>model</c>, consecutive same-role turns merged;
/// tool results become <c>functionResponse</c> parts (see <see cref="GeminiContentWriter"/>); tools are
/// <c>functionDeclarations</c> with <c>parametersJsonSchema</c> and <c>toolConfig</c>
/// (<see cref="GeminiToolsWriter"/>); sampling, output format, logprobs and reasoning go in
/// <c>generationConfig</c>.</para>
/// <para>What is dropped, because Gemini has no such control and leaving it out does not change the
/// answer's meaning: <c>user</c>, <c>metadata</c>, <c>parallel_tool_calls</c> (Gemini decides itself),
/// <c>include_usage</c> (Gemini always reports usage), function <c>strict</c>, image <c>detail</c>,
/// <c>cache_control</c> (Gemini caches implicitly), message names, the json_schema <c>name</c>/<c>strict</c>,
/// Anthropic <c>redacted_thinking</c>, and built-in tools of other providers (as the OpenAI writer does).
/// A <c>seed</c> beyond 32 bits is folded into 32 bits (Gemini's seed is an int32), which keeps runs
/// with the same seed reproducible.</para>
/// <para>What is refused with a <see cref="ValidationError"/>, because dropping it would change the
/// meaning: tool results whose function name cannot be found, tool call arguments that are not a JSON
/// object, custom (free-text) tool calls, files by provider id, non-text system content, a
/// <c>tool_choice</c> form Gemini cannot express, and a conversation with no user or assistant turn.</para>
/// </remarks>
public static class GeminiRequestWriter
{
    /// <summary>The smallest thinking budget every thinking model accepts (Gemini 2.5 Pro's floor).</summary>
    private const int MinimumThinkingBudget = 128;

    /// <summary>
    /// Writes the body into <paramref name="output"/>. Returns null on success, or why the request cannot
    /// go to Gemini; then <paramref name="output"/> holds a partial body and must be discarded.
    /// </summary>
    public static ValidationError? Write(ChatRequest request, IBufferWriter<byte> output, GeminiWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        try
        {
            Write(DeferredTools.WithoutUncalled(request), writer, options ?? GeminiWriteOptions.Default);
            writer.Flush();
            return null;
        }
        catch (WireFormatException e)
        {
            return e.Error;
        }
    }

    /// <summary>Writes the body as a new byte array, or the reason it cannot be written.</summary>
    public static ReadResult<byte[]> WriteToUtf8Bytes(ChatRequest request, GeminiWriteOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var error = Write(request, buffer, options);
        return error is null ? buffer.WrittenSpan.ToArray() : error;
    }

    private static void Write(ChatRequest request, Utf8JsonWriter writer, GeminiWriteOptions options)
    {
        writer.WriteStartObject();
        GeminiContentWriter.WriteContents(writer, request.Messages, options);
        GeminiToolsWriter.WriteTools(writer, request);
        GeminiContentWriter.WriteSystemInstruction(writer, request.Messages);
        WriteGenerationConfig(writer, request, options);
        if (GeminiDialect.Owns(request.SourceDialect))
        {
            WireWriting.WriteExtensions(writer, request.Extensions);
        }
        writer.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter writer, ChatRequest request, GeminiWriteOptions options)
    {
        var open = false;
        if (!request.StopSequences.IsDefaultOrEmpty)
        {
            Open(writer, ref open);
            writer.WriteStartArray("stopSequences"u8);
            foreach (var stop in request.StopSequences)
            {
                writer.WriteStringValue(stop);
            }
            writer.WriteEndArray();
        }
        WriteResponseFormat(writer, request.ResponseFormat, ref open);
        WriteInt(writer, "candidateCount"u8, request.N, ref open);
        WriteInt(writer, "maxOutputTokens"u8, request.MaxOutputTokens, ref open);
        WriteDouble(writer, "temperature"u8, request.Temperature, ref open);
        WriteDouble(writer, "topP"u8, request.TopP, ref open);
        WriteInt(writer, "topK"u8, request.TopK, ref open);
        if (request.Seed is { } seed)
        {
            WriteInt(writer, "seed"u8, seed is >= int.MinValue and <= int.MaxValue ? (int)seed : unchecked((int)(seed ^ (seed >> 32))), ref open);
        }
        WriteDouble(writer, "presencePenalty"u8, request.PresencePenalty, ref open);
        WriteDouble(writer, "frequencyPenalty"u8, request.FrequencyPenalty, ref open);
        if (request.Logprobs == true)
        {
            Open(writer, ref open);
            writer.WriteBoolean("responseLogprobs"u8, true);
            WriteInt(writer, "logprobs"u8, request.TopLogprobs, ref open);
        }
        if (request.Reasoning is { } reasoning)
        {
            WriteThinkingConfig(writer, reasoning, options, ref open);
        }
        if (open)
        {
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// JSON mode is <c>responseMimeType: application/json</c>; a schema goes in <c>responseJsonSchema</c>
    /// as sent (JSON Schema, no conversion), the same choice as <c>parametersJsonSchema</c> for tools.
    /// </summary>
    private static void WriteResponseFormat(Utf8JsonWriter writer, ResponseFormat? format, ref bool open)
    {
        if (format is null || format.Kind == ResponseFormatKind.Text)
        {
            return;
        }
        Open(writer, ref open);
        writer.WriteString("responseMimeType"u8, "application/json"u8);
        if (format.Kind == ResponseFormatKind.JsonSchema && format.JsonSchema?.Schema is { } schema)
        {
            writer.WritePropertyName("responseJsonSchema"u8);
            schema.WriteTo(writer);
        }
    }

    /// <summary>
    /// <c>thinkingConfig</c>: a budget (given, or derived from the effort with
    /// <see cref="ReasoningEfforts.ToBudget"/>) with <c>includeThoughts</c> so the thinking reaches the
    /// client; an unknown effort leaves the budget to the model. Reasoning off (or effort <c>none</c>) is
    /// budget 0, except on models that cannot stop thinking (Gemini 2.5 Pro, Gemini 3), which get the
    /// smallest budget Gemini 2.5 Pro accepts (128; Gemini 3 maps it to its lowest level) and no thoughts.
    /// </summary>
    private static void WriteThinkingConfig(Utf8JsonWriter writer, ReasoningOptions reasoning, GeminiWriteOptions options, ref bool open)
    {
        if (reasoning.Enabled is null && reasoning.Effort is null && reasoning.BudgetTokens is null)
        {
            return;
        }
        var off = reasoning.Enabled == false || reasoning.Effort == ReasoningEfforts.None || reasoning.BudgetTokens is <= 0;
        int? budget = off ? (CanDisableThinking(options.Model) ? 0 : MinimumThinkingBudget)
            : reasoning.BudgetTokens ?? (reasoning.Effort is { } effort ? ReasoningEfforts.ToBudget(effort) : null);
        Open(writer, ref open);
        writer.WriteStartObject("thinkingConfig"u8);
        if (budget is { } tokens)
        {
            writer.WriteNumber("thinkingBudget"u8, tokens);
        }
        if (!off)
        {
            writer.WriteBoolean("includeThoughts"u8, true);
        }
        writer.WriteEndObject();
    }

    private static bool CanDisableThinking(string? model)
    {
        if (model is null)
        {
            return true;
        }
        return !model.Contains("gemini-2.5-pro", StringComparison.OrdinalIgnoreCase)
            && !model.Contains("gemini-3", StringComparison.OrdinalIgnoreCase);
    }

    private static void Open(Utf8JsonWriter writer, ref bool open)
    {
        if (!open)
        {
            writer.WriteStartObject("generationConfig"u8);
            open = true;
        }
    }

    private static void WriteInt(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int? value, ref bool open)
    {
        if (value is { } number)
        {
            Open(writer, ref open);
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value, ref bool open)
    {
        if (value is { } number)
        {
            Open(writer, ref open);
            writer.WriteNumber(name, number);
        }
    }
}
