using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Reads a <c>GenerateContentResponse</c> into a <see cref="GeminiDocument"/>: candidates with their
/// parts, finish reasons and logprobs, <c>promptFeedback</c>, <c>usageMetadata</c>, identity, or an
/// <c>error</c>. Members it has no use for (safety ratings, citations, grounding) are skipped unread.
/// </summary>
internal static class GeminiDocumentReader
{
    /// <summary>Reads the document whose <c>{</c> the reader is on.</summary>
    public static GeminiDocument Read(ref Utf8JsonReader reader)
    {
        var document = new GeminiDocument();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("candidates"u8))
            {
                ReadValue(ref reader);
                ReadCandidates(ref reader, document);
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                ReadValue(ref reader);
                document.Usage = reader.TokenType == JsonTokenType.Null ? null : GeminiUsage.Read(ref reader);
            }
            else if (reader.ValueTextEquals("modelVersion"u8))
            {
                ReadValue(ref reader);
                document.ModelVersion = ReadOptionalString(ref reader, "", "modelVersion");
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                ReadValue(ref reader);
                document.ResponseId = ReadOptionalString(ref reader, "", "responseId");
            }
            else if (reader.ValueTextEquals("promptFeedback"u8))
            {
                ReadValue(ref reader);
                ReadPromptFeedback(ref reader, document);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                ReadValue(ref reader);
                document.Error = JsonElement.ParseValue(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return document;
    }

    private static void ReadCandidates(ref Utf8JsonReader reader, GeminiDocument document)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType("candidates", "an array");
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ExpectObject(ref reader, "candidates", "");
            var candidate = new GeminiCandidate { Index = document.Candidates.Count };
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("content"u8))
                {
                    ReadValue(ref reader);
                    ReadContent(ref reader, candidate);
                }
                else if (reader.ValueTextEquals("finishReason"u8))
                {
                    ReadValue(ref reader);
                    candidate.FinishReason = ReadOptionalString(ref reader, "candidates", "finishReason");
                }
                else if (reader.ValueTextEquals("index"u8))
                {
                    ReadValue(ref reader);
                    candidate.Index = ReadOptionalInt(ref reader, "candidates", "index", min: 0) ?? candidate.Index;
                }
                else if (reader.ValueTextEquals("logprobsResult"u8))
                {
                    ReadValue(ref reader);
                    candidate.Logprobs = reader.TokenType == JsonTokenType.Null ? null : GeminiLogprobs.ToOpenAI(JsonElement.ParseValue(ref reader));
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            document.Candidates.Add(candidate);
        }
    }

    private static void ReadContent(ref Utf8JsonReader reader, GeminiCandidate candidate)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        ExpectObject(ref reader, "candidates", "content");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("parts"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw WrongType("candidates.content.parts", "an array");
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    candidate.Parts.Add(ReadPart(ref reader));
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static GeminiPart ReadPart(ref Utf8JsonReader reader)
    {
        const string path = "candidates.content.parts";
        ExpectObject(ref reader, path, "");
        var part = new GeminiPart();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                ReadValue(ref reader);
                part = part with { Text = ReadOptionalString(ref reader, path, "text") };
            }
            else if (reader.ValueTextEquals("thought"u8))
            {
                ReadValue(ref reader);
                part = part with { Thought = ReadOptionalBool(ref reader, path, "thought") == true };
            }
            else if (reader.ValueTextEquals("thoughtSignature"u8))
            {
                ReadValue(ref reader);
                part = part with { Signature = ReadOptionalString(ref reader, path, "thoughtSignature") };
            }
            else if (reader.ValueTextEquals("functionCall"u8))
            {
                ReadValue(ref reader);
                part = ReadFunctionCall(ref reader, part);
            }
            else if (reader.ValueTextEquals("inlineData"u8) || reader.ValueTextEquals("fileData"u8))
            {
                ReadValue(ref reader);
                part = ReadMedia(ref reader, part);
            }
            else
            {
                // executableCode, codeExecutionResult, videoMetadata, ...: nothing a canonical part holds.
                SkipValue(ref reader);
            }
        }
        return part;
    }

    private static GeminiPart ReadFunctionCall(ref Utf8JsonReader reader, GeminiPart part)
    {
        const string path = "candidates.content.parts.functionCall";
        ExpectObject(ref reader, path, "");
        string? id = null;
        string? name = null;
        string? arguments = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TryReadString(ref reader, "id"u8, path, ref id)
                || TryReadString(ref reader, "name"u8, path, ref name))
            {
                continue;
            }
            if (reader.ValueTextEquals("args"u8))
            {
                ReadValue(ref reader);
                arguments = reader.TokenType == JsonTokenType.Null ? null : Compact(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return part with { CallId = id, CallName = name ?? throw Missing(Join(path, "name")), CallArguments = arguments ?? "{}" };
    }

    /// <summary>Reads <c>inlineData</c> (<c>mimeType</c>, <c>data</c>) or <c>fileData</c> (<c>mimeType</c>, <c>fileUri</c>).</summary>
    private static GeminiPart ReadMedia(ref Utf8JsonReader reader, GeminiPart part)
    {
        const string path = "candidates.content.parts";
        if (reader.TokenType == JsonTokenType.Null)
        {
            return part;
        }
        ExpectObject(ref reader, path, "inlineData");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("mimeType"u8))
            {
                ReadValue(ref reader);
                part = part with { MimeType = ReadOptionalString(ref reader, path, "mimeType") };
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                ReadValue(ref reader);
                part = part with { Data = ReadOptionalString(ref reader, path, "data") };
            }
            else if (reader.ValueTextEquals("fileUri"u8))
            {
                ReadValue(ref reader);
                part = part with { FileUri = ReadOptionalString(ref reader, path, "fileUri") };
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return part;
    }

    private static void ReadPromptFeedback(ref Utf8JsonReader reader, GeminiDocument document)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        ExpectObject(ref reader, "", "promptFeedback");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("blockReason"u8))
            {
                ReadValue(ref reader);
                document.BlockReason = ReadOptionalString(ref reader, "promptFeedback", "blockReason");
            }
            else if (reader.ValueTextEquals("blockReasonMessage"u8))
            {
                ReadValue(ref reader);
                document.BlockReasonMessage = ReadOptionalString(ref reader, "promptFeedback", "blockReasonMessage");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>The value under the reader as compact JSON text (responses come pretty-printed).</summary>
    private static string Compact(ref Utf8JsonReader reader)
    {
        var value = JsonElement.ParseValue(ref reader);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireWriting.WriterOptions))
        {
            value.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
