using System.Buffers;
using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Writes a <see cref="ChatRequest"/> as an OpenAI Responses API body (<c>POST /v1/responses</c>), for a deployment
/// that speaks only the Responses API (<c>api: responses</c>, e.g. a codex model).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Leading system and developer messages with text only → <c>instructions</c>; later ones → <c>system</c> /
/// <c>developer</c> message items. The rest of the conversation → <c>input</c> items (see the <c>.Input</c> part).</item>
/// <item>Tools → flat <c>{type: function, name, description, parameters, strict}</c> (<c>strict: false</c> unless the
/// client said otherwise: the Responses API makes functions strict by default, Chat Completions and Messages do not);
/// OpenAI Chat custom tools → Responses custom tools; other providers' built-in tools are left out.</item>
/// <item><c>tool_choice</c>, <c>parallel_tool_calls</c>; the response format → <c>text.format</c>; reasoning →
/// <c>reasoning: {effort, summary: "auto"}</c> (effort from a thinking budget when only that is known);
/// <c>max_output_tokens</c>, <c>temperature</c>, <c>top_p</c>, <c>stream</c>, <c>metadata</c>, <c>user</c>.</item>
/// <item><c>store: false</c>: the gateway keeps conversation state itself, and a translated request is never meant to
/// leave a copy at the upstream. With reasoning asked for, <c>include: ["reasoning.encrypted_content"]</c>, so the
/// reasoning comes back and can be sent again next turn without server-side state.</item>
/// <item>A request read from the Responses dialect gets its extension members (<c>include</c>, <c>store</c>,
/// <c>truncation</c>, <c>prompt_cache_key</c>, ...) written back; a canonical member the extensions also hold is not
/// written twice.</item>
/// <item>Dropped, having no Responses form: <c>top_k</c>, penalties, <c>seed</c>, <c>stream_options</c>.</item>
/// <item>Refused with a <see cref="ValidationError"/>: <c>n</c> &gt; 1, stop sequences, log probabilities, audio
/// input, a tool result that answers no call.</item>
/// </list>
/// </remarks>
public static partial class ResponsesRequestWriter
{
    /// <summary>
    /// Writes the body into <paramref name="output"/>. Returns null on success, or why the request cannot go to a
    /// Responses upstream; then <paramref name="output"/> holds a partial body and must be discarded.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="output">Destination of the UTF-8 JSON.</param>
    /// <param name="upstreamModel">Model id to send instead of <see cref="ChatRequest.Model"/>; null keeps it.</param>
    public static ValidationError? Write(ChatRequest request, IBufferWriter<byte> output, string? upstreamModel = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
            Write(request, writer, upstreamModel);
        }
        catch (WireFormatException refused)
        {
            return refused.Error;
        }
        return null;
    }

    /// <summary>Writes the body as a new byte array, or the reason it cannot be written.</summary>
    public static ReadResult<byte[]> WriteToUtf8Bytes(ChatRequest request, string? upstreamModel = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var error = Write(request, buffer, upstreamModel);
        return error is null ? buffer.WrittenSpan.ToArray() : error;
    }

    private static void Write(ChatRequest request, Utf8JsonWriter writer, string? upstreamModel)
    {
        Refuse(request);
        var own = ResponsesDialect.Owns(request.SourceDialect);
        var extensions = own ? request.Extensions : [];
        request = DeferredTools.WithoutUncalled(request);

        writer.WriteStartObject();
        writer.WriteString("model"u8, upstreamModel ?? request.Model);
        var first = WriteInstructions(writer, request, extensions);
        writer.WriteStartArray("input"u8);
        WriteInput(writer, request, first, own);
        writer.WriteEndArray();

        WriteTools(writer, request, own);
        if (request.ParallelToolCalls is { } parallel)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }
        if (!Holds(extensions, "text"))
        {
            WriteTextFormat(writer, request.ResponseFormat);
        }
        var reasoning = Effort(request.Reasoning);
        if (reasoning is not null && !Holds(extensions, "reasoning"))
        {
            writer.WriteStartObject("reasoning"u8);
            writer.WriteString("effort"u8, reasoning);
            // Without a summary the model's thinking stays invisible; clients that asked for thinking expect to see it.
            if (reasoning != ReasoningEfforts.None)
            {
                writer.WriteString("summary"u8, "auto"u8);
            }
            writer.WriteEndObject();
        }
        WriteNumber(writer, "max_output_tokens"u8, request.MaxOutputTokens);
        WriteNumber(writer, "temperature"u8, request.Temperature);
        WriteNumber(writer, "top_p"u8, request.TopP);
        if (request.Stream is { } stream)
        {
            writer.WriteBoolean("stream"u8, stream);
        }
        if (request.User is not null && !Holds(extensions, "user"))
        {
            writer.WriteString("user"u8, request.User);
        }
        if (request.Metadata is { } metadata && !Holds(extensions, "metadata"))
        {
            writer.WriteStartObject("metadata"u8);
            foreach (var (key, value) in metadata)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        if (!Holds(extensions, "store"))
        {
            writer.WriteBoolean("store"u8, false);
        }
        if (!Holds(extensions, "include") && ((reasoning is not null && reasoning != ReasoningEfforts.None) || CarriesEncryptedReasoning(request)))
        {
            writer.WriteStartArray("include"u8);
            writer.WriteStringValue("reasoning.encrypted_content"u8);
            writer.WriteEndArray();
        }
        WireWriting.WriteExtensions(writer, extensions);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    /// <summary>What the Responses API cannot do at all.</summary>
    private static void Refuse(ChatRequest request)
    {
        if (request.N is > 1)
        {
            throw WireReading.Fail("n", $"the Responses API returns one answer per request; n must be 1, got {request.N}");
        }
        if (!request.StopSequences.IsDefaultOrEmpty)
        {
            throw WireReading.Fail("stop", "this model is served through the OpenAI Responses API, which has no stop sequences");
        }
        if (request.Logprobs == true || request.TopLogprobs is > 0)
        {
            throw WireReading.Fail(request.Logprobs == true ? "logprobs" : "top_logprobs",
                "log probabilities are not available for this model through the gateway's Responses API translation");
        }
    }

    /// <summary>The effort to send: the client's, or the level nearest a thinking budget; null = the model's default.</summary>
    private static string? Effort(ReasoningOptions? reasoning)
    {
        if (reasoning is null)
        {
            return null;
        }
        if (reasoning.Effort is not null)
        {
            return reasoning.Effort;
        }
        if (reasoning.BudgetTokens is { } budget)
        {
            return ReasoningEfforts.FromBudget(budget);
        }
        // Reasoning turned off with no level: Responses-only models cannot switch it off, and which low level they take
        // differs by model (minimal, none, low), so the model's default it is.
        return null;
    }

    /// <summary>Whether a member is among the request's own (Responses-dialect) extensions, which are written as they came.</summary>
    private static bool Holds(System.Collections.Immutable.ImmutableArray<ExtensionField> extensions, string name) =>
        ExtensionField.Find(extensions, name) is not null;
}
