using Switchboard.Translation;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Reads a <c>chat.completion</c> body into a <see cref="ChatResponse"/>: message text, refusal, tool
/// calls, thinking (<c>reasoning_content</c> as DeepSeek and vLLM send it, OpenRouter's
/// <c>reasoning</c>, LiteLLM's <c>thinking_blocks</c>), finish reasons, logprobs and usage.
/// </summary>
public static class OpenAIChatResponseReader
{
    /// <summary>Reads a response body (UTF-8 JSON).</summary>
    public static ReadResult<ChatResponse> Read(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!WireDocument.TryOpenObject(ref reader, "response body", out var notObject))
            {
                return notObject;
            }
            return ReadResponse(ref reader);
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, "response body");
        }
    }

    private static ChatResponse ReadResponse(ref Utf8JsonReader reader)
    {
        var identity = default(OpenAIChatIdentity);
        var choices = new List<ChatChoice>();
        Usage? usage = null;
        List<ExtensionField>? extensions = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (identity.TryRead(ref reader))
            {
                continue;
            }
            if (reader.ValueTextEquals("object"u8))
            {
                SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw WrongType("choices", "an array");
                }
                var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    choices.Add(ReadChoice(ref reader, choices.Count, toolNames));
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                ReadValue(ref reader);
                usage = reader.TokenType == JsonTokenType.Null ? null : OpenAIChatUsage.Read(ref reader);
            }
            else
            {
                var name = reader.GetString()!;
                ReadValue(ref reader);
                (extensions ??= []).Add(new ExtensionField(name, JsonElement.ParseValue(ref reader)));
            }
        }

        return new ChatResponse
        {
            Id = identity.Id ?? "",
            Model = identity.Model ?? "",
            Created = identity.Created,
            SystemFingerprint = identity.Fingerprint,
            Choices = [.. choices],
            Usage = usage,
            Extensions = extensions is null ? [] : [.. extensions],
            SourceDialect = OpenAIChatDialect.Name,
        };
    }

    private static ChatChoice ReadChoice(ref Utf8JsonReader reader, int position, Dictionary<string, string> toolNames)
    {
        // Nearly every answer has one choice: its paths (used in errors) are constants rather than formatted per read.
        var path = position == 0 ? "choices[0]" : $"choices[{position}]";
        var messagePath = position == 0 ? "choices[0].message" : Join(path, "message");
        ExpectObject(ref reader, path, "");
        int? index = null;
        Message? message = null;
        FinishReason? finish = null;
        JsonElement? logprobs = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                ReadValue(ref reader);
                index = ReadOptionalInt(ref reader, path, "index", min: 0);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                ReadValue(ref reader);
                message = OpenAIChatMessageReader.Read(ref reader, messagePath, toolNames, isResponse: true);
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                ReadValue(ref reader);
                var value = ReadOptionalString(ref reader, path, "finish_reason");
                finish = value is null ? null : OpenAIChatFinishReasons.FromWire(value);
            }
            else if (reader.ValueTextEquals("logprobs"u8))
            {
                ReadValue(ref reader);
                logprobs = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return new ChatChoice(index ?? 0, message ?? throw Missing(messagePath))
        {
            FinishReason = finish,
            Logprobs = logprobs,
        };
    }
}
