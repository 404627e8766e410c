using System.Text.Json;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>One streamed GenerateContentResponse: the parts every candidate gets, the finish reason on the last one.</summary>
internal sealed record GeminiChunk(List<Action<Utf8JsonWriter>> Parts, string? FinishReason, int CandidateTokens);

/// <summary>Writes a <see cref="GeminiResult"/> as one GenerateContentResponse or as the chunks of a stream.</summary>
internal static class GeminiWriter
{
    private const int PiecesPerChunk = 2;

    public static void WriteResponse(Utf8JsonWriter w, GeminiResult r)
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates"u8);
        for (int i = 0; i < r.Candidates.Count; i++)
        {
            var c = r.Candidates[i];
            var parts = new List<Action<Utf8JsonWriter>>();
            if (c.IncludeThoughts)
            {
                parts.Add(w => TextPart(w, string.Concat(c.Thoughts), thought: true, null));
            }
            if (c.CallName is not null)
            {
                parts.Add(w => CallPart(w, c));
            }
            else if (c.FinishReason != "MAX_TOKENS" || c.Pieces.Count > 0)
            {
                parts.Add(w => TextPart(w, string.Concat(c.Pieces), thought: false, c.Signature));
            }
            WriteCandidate(w, i, parts, c.FinishReason);
        }
        w.WriteEndArray();
        WriteTail(w, r, r.CandidateTokens);
        w.WriteEndObject();
    }

    /// <summary>
    /// The stream: the thought summary (when asked for), then a whole function call in one chunk, or the text a few
    /// words a chunk; the finish reason comes on the last chunk, after a signature-only part when the model thinks.
    /// Every chunk carries the usage so far.
    /// </summary>
    public static List<GeminiChunk> PlanStream(GeminiResult r)
    {
        var c = r.Candidates[0];
        int n = r.Candidates.Count;
        var chunks = new List<GeminiChunk>();
        if (c.IncludeThoughts)
        {
            chunks.Add(new([w => TextPart(w, string.Concat(c.Thoughts), thought: true, null)], null, 0));
        }
        if (c.CallName is not null)
        {
            chunks.Add(new([w => CallPart(w, c)], null, c.OutputTokens * n));
            chunks.Add(new([w => TextPart(w, "", thought: false, null)], c.FinishReason, c.OutputTokens * n));
            return chunks;
        }
        int sent = 0;
        for (int i = 0; i < c.Pieces.Count; i += PiecesPerChunk)
        {
            string text = string.Concat(c.Pieces.Skip(i).Take(PiecesPerChunk));
            sent = Math.Min(i + PiecesPerChunk, c.Pieces.Count);
            chunks.Add(new([w => TextPart(w, text, thought: false, null)], null, sent * n));
        }
        if (c.Signature is not null || c.Pieces.Count == 0)
        {
            chunks.Add(new([w => TextPart(w, "", thought: false, c.Signature)], c.FinishReason, sent * n));
        }
        else
        {
            chunks[^1] = chunks[^1] with { FinishReason = c.FinishReason };
        }
        return chunks;
    }

    public static void WriteChunk(Utf8JsonWriter w, GeminiResult r, GeminiChunk chunk)
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates"u8);
        for (int i = 0; i < r.Candidates.Count; i++)
        {
            WriteCandidate(w, i, chunk.Parts, chunk.FinishReason);
        }
        w.WriteEndArray();
        WriteTail(w, r, chunk.CandidateTokens);
        w.WriteEndObject();
    }

    private static void WriteCandidate(Utf8JsonWriter w, int index, List<Action<Utf8JsonWriter>> parts, string? finishReason)
    {
        w.WriteStartObject();
        w.WriteStartObject("content"u8);
        if (parts.Count > 0)
        {
            w.WriteStartArray("parts"u8);
            foreach (var part in parts)
            {
                part(w);
            }
            w.WriteEndArray();
        }
        w.WriteString("role"u8, "model");
        w.WriteEndObject();
        if (finishReason is not null)
        {
            w.WriteString("finishReason"u8, finishReason);
        }
        w.WriteNumber("index"u8, index);
        w.WriteEndObject();
    }

    private static void WriteTail(Utf8JsonWriter w, GeminiResult r, int candidateTokens)
    {
        w.WriteStartObject("usageMetadata"u8);
        w.WriteNumber("promptTokenCount"u8, r.PromptTokens);
        if (candidateTokens > 0)
        {
            w.WriteNumber("candidatesTokenCount"u8, candidateTokens);
        }
        w.WriteNumber("totalTokenCount"u8, r.PromptTokens + candidateTokens + r.ThoughtTokens);
        w.WriteStartArray("promptTokensDetails"u8);
        WriteModality(w, "TEXT", r.PromptTokens - r.MediaTokens);
        if (r.MediaTokens > 0)
        {
            WriteModality(w, "IMAGE", r.MediaTokens);
        }
        w.WriteEndArray();
        if (r.ThoughtTokens > 0)
        {
            w.WriteNumber("thoughtsTokenCount"u8, r.ThoughtTokens);
        }
        w.WriteEndObject();
        w.WriteString("modelVersion"u8, r.Model);
        w.WriteString("responseId"u8, r.ResponseId);
    }

    private static void WriteModality(Utf8JsonWriter w, string modality, int tokens)
    {
        w.WriteStartObject();
        w.WriteString("modality"u8, modality);
        w.WriteNumber("tokenCount"u8, tokens);
        w.WriteEndObject();
    }

    private static void TextPart(Utf8JsonWriter w, string text, bool thought, string? signature)
    {
        w.WriteStartObject();
        w.WriteString("text"u8, text);
        if (thought)
        {
            w.WriteBoolean("thought"u8, true);
        }
        if (signature is not null)
        {
            w.WriteString("thoughtSignature"u8, signature);
        }
        w.WriteEndObject();
    }

    private static void CallPart(Utf8JsonWriter w, GeminiCandidate c)
    {
        w.WriteStartObject();
        w.WriteStartObject("functionCall"u8);
        w.WriteString("name"u8, c.CallName);
        w.WritePropertyName("args"u8);
        w.WriteRawValue(c.CallArgs!);
        w.WriteEndObject();
        if (c.Signature is not null)
        {
            w.WriteString("thoughtSignature"u8, c.Signature);
        }
        w.WriteEndObject();
    }
}
