using Switchboard.Translation;
using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Writes a <see cref="ChatRequest"/> as an Anthropic Messages API body (<c>POST /v1/messages</c>).
/// </summary>
/// <remarks>
/// <para>A request read by <see cref="AnthropicMessagesRequestReader"/> goes back as it came (only the
/// model id changes), raw extensions included: <c>context_management</c>, <c>output_config</c>,
/// <c>service_tier</c>, <c>container</c>, <c>mcp_servers</c>, server tools and blocks all reach the upstream.</para>
/// <para>A request from another dialect is adapted (see <see cref="AnthropicMessageWriter"/> for the
/// messages):</para>
/// <list type="bullet">
/// <item><c>max_tokens</c>, which Anthropic requires: the client's, else the model's output limit
/// (<see cref="AnthropicModelInfo"/>; <see cref="AnthropicWriteOptions.DefaultMaxTokens"/> overrides).</item>
/// <item>Reasoning: up to Claude 4.5, <c>thinking: {type: enabled, budget_tokens}</c> from the budget, or
/// from the effort via <see cref="ReasoningEfforts.ToBudget"/> (at least 1024); when <c>max_tokens</c> is not
/// above the budget, the budget shrinks to three quarters of <c>max_tokens</c>, and thinking is left off
/// if that is under 1024. From Claude 4.6 on, <c>thinking: {type: adaptive}</c> with
/// <c>output_config.effort</c> (low/medium/high, xhigh = max on Opus). Thinking is left off for effort
/// <c>none</c>, explicit off, models without thinking, and forced tool choice (Anthropic refuses the pair);
/// with thinking on, temperature (unless 1), top_p under 0.95 and top_k are dropped, as Anthropic requires.
/// Each such change is noted in the <see cref="RequestAdjustments"/>. JSON output (json_object or json_schema)
/// together with thinking is refused: Anthropic takes no forced tool with thinking, and unforced, the answer may
/// not be JSON.</item>
/// <item>Sampling: temperature clamped into Anthropic's 0–1 (noted); from Opus 4.1 on, temperature with top_p is
/// refused, as those models refuse it on the relayed path too.</item>
/// <item>Tools: functions as <c>{name, description, input_schema}</c> (an empty object schema when none);
/// other providers' built-in tools dropped. <c>tool_choice</c> auto/none/required/named →
/// auto/none/any/tool; <c>parallel_tool_calls: false</c> → <c>disable_parallel_tool_use: true</c>.</item>
/// <item>JSON mode and json_schema through a forced tool: see <see cref="AnthropicJsonMode"/>.</item>
/// <item><c>stop</c> → <c>stop_sequences</c>; <c>user</c> → <c>metadata.user_id</c>.</item>
/// <item>Dropped, having no Anthropic form: penalties, seed, OpenAI metadata, stream_options,
/// image detail, function <c>strict</c>, and every unknown OpenAI-only member.</item>
/// <item>Refused with a <see cref="ValidationError"/>: <c>n</c> &gt; 1, <c>logprobs</c>/<c>top_logprobs</c>,
/// audio input, custom (free-text) tool calls, tool call arguments that are not a JSON object
/// (see <see cref="ToolInput"/>), non-text system content, and a conversation with no turn left to send.</item>
/// </list>
/// </remarks>
public static class AnthropicMessagesRequestWriter
{
    /// <summary>
    /// Writes the body into <paramref name="output"/>. Returns null on success, or why the request cannot
    /// go to Anthropic; then <paramref name="output"/> holds a partial body and must be discarded.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="output">Destination of the UTF-8 JSON.</param>
    /// <param name="upstreamModel">Model id to send instead of <see cref="ChatRequest.Model"/>; null keeps it.</param>
    /// <param name="options">Writer choices; null = <see cref="AnthropicWriteOptions.Default"/>.</param>
    /// <param name="adjustments">Notes the fields adapted or left out for the model; null: not noted.</param>
    public static ValidationError? Write(ChatRequest request, IBufferWriter<byte> output, string? upstreamModel = null, AnthropicWriteOptions? options = null,
        RequestAdjustments? adjustments = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        try
        {
            Write(request, writer, upstreamModel, options ?? AnthropicWriteOptions.Default, adjustments);
            writer.Flush();
            return null;
        }
        catch (WireFormatException e)
        {
            return e.Error;
        }
    }

    /// <summary>Writes the body as a new byte array, or the reason it cannot be written.</summary>
    public static ReadResult<byte[]> WriteToUtf8Bytes(ChatRequest request, string? upstreamModel = null, AnthropicWriteOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var error = Write(request, buffer, upstreamModel, options);
        return error is null ? buffer.WrittenSpan.ToArray() : error;
    }

    private static void Write(ChatRequest request, Utf8JsonWriter writer, string? upstreamModel, AnthropicWriteOptions options, RequestAdjustments? adjustments)
    {
        Refuse(request);
        var own = AnthropicMessagesDialect.IsOwn(request.SourceDialect);
        var writeExtensions = AnthropicMessagesDialect.Owns(request.SourceDialect);
        var model = upstreamModel ?? request.Model;
        var plan = own
            ? RequestPlan.ForOwn(request)
            : RequestPlan.ForForeign(request, AnthropicModelInfo.Parse(model), options, AnthropicToolsWriter.HasWritableTools(request), adjustments);
        var context = new BlockContext(own, writeExtensions);

        writer.WriteStartObject();
        writer.WriteString("model"u8, model);
        if (plan.MaxTokens is { } maxTokens)
        {
            writer.WriteNumber("max_tokens"u8, maxTokens);
        }
        AnthropicMessageWriter.WriteSystem(writer, request.Messages, context);
        AnthropicMessageWriter.WriteMessages(writer, request.Messages, context);
        AnthropicToolsWriter.WriteTools(writer, request, plan, own, writeExtensions);
        AnthropicToolsWriter.WriteToolChoice(writer, request, plan, own);
        WriteThinking(writer, request, plan, writeExtensions);
        WriteSampling(writer, request, plan);
        if (request.Stream is { } stream)
        {
            writer.WriteBoolean("stream"u8, stream);
        }
        if (request.User is not null && !(writeExtensions && ExtensionField.Find(request.Extensions, "metadata") is not null))
        {
            writer.WriteStartObject("metadata"u8);
            writer.WriteString("user_id"u8, request.User);
            writer.WriteEndObject();
        }
        if (writeExtensions)
        {
            WireWriting.WriteExtensions(writer, request.Extensions);
        }
        writer.WriteEndObject();
    }

    /// <summary>What Anthropic cannot do at all.</summary>
    private static void Refuse(ChatRequest request)
    {
        if (request.N is > 1)
        {
            throw WireReading.Fail("n", $"Anthropic models return one completion per request; n must be 1, got {request.N}");
        }
        if (request.Logprobs == true)
        {
            throw WireReading.Fail("logprobs", "Anthropic models do not return log probabilities");
        }
        if (request.TopLogprobs is > 0)
        {
            throw WireReading.Fail("top_logprobs", "Anthropic models do not return log probabilities");
        }
    }

    private static void WriteThinking(Utf8JsonWriter writer, ChatRequest request, RequestPlan plan, bool writeExtensions)
    {
        switch (plan.Thinking)
        {
            case ThinkingMode.Budget:
                writer.WriteStartObject("thinking"u8);
                writer.WriteString("type"u8, "enabled"u8);
                writer.WriteNumber("budget_tokens"u8, plan.BudgetTokens);
                writer.WriteEndObject();
                break;
            case ThinkingMode.Adaptive:
                writer.WriteStartObject("thinking"u8);
                writer.WriteString("type"u8, "adaptive"u8);
                writer.WriteEndObject();
                break;
            case ThinkingMode.Disabled:
                writer.WriteStartObject("thinking"u8);
                writer.WriteString("type"u8, "disabled"u8);
                writer.WriteEndObject();
                break;
            default:
                break;
        }
        if (plan.Effort is not null && !(writeExtensions && ExtensionField.Find(request.Extensions, "output_config") is not null))
        {
            writer.WriteStartObject("output_config"u8);
            writer.WriteString("effort"u8, plan.Effort);
            writer.WriteEndObject();
        }
    }

    private static void WriteSampling(Utf8JsonWriter writer, ChatRequest request, RequestPlan plan)
    {
        if (plan.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature"u8, temperature);
        }
        if (plan.TopP is { } topP)
        {
            writer.WriteNumber("top_p"u8, topP);
        }
        if (plan.TopK is { } topK)
        {
            writer.WriteNumber("top_k"u8, topK);
        }
        if (!request.StopSequences.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("stop_sequences"u8);
            foreach (var sequence in request.StopSequences)
            {
                writer.WriteStringValue(sequence);
            }
            writer.WriteEndArray();
        }
    }
}
