using Switchboard.Http;
using Switchboard.Translation;
using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Reads a <c>generateContent</c> response body into a <see cref="ChatResponse"/>.
/// </summary>
/// <remarks>
/// Each candidate becomes a choice whose assistant message keeps Gemini's part order: <c>thought</c>
/// parts are <see cref="ThinkingPart"/>s, text is <see cref="TextPart"/>s, a <c>functionCall</c> is a
/// <see cref="ToolCallPart"/> (Gemini's <c>id</c>, else a made-up <c>call_...</c>; <c>args</c> as compact
/// JSON text; its <c>thoughtSignature</c> in <see cref="ToolCallPart.Signature"/>), media are image or
/// file parts. A <c>thoughtSignature</c> on any other part becomes a <see cref="ThinkingPart"/> with empty
/// text placed just before that part, where <see cref="GeminiRequestWriter"/> puts it back. A prompt
/// refused outright (<c>promptFeedback.blockReason</c>, no candidates) is one choice holding a
/// <see cref="RefusalPart"/> with Gemini's message and a content_filter finish. The id is
/// <c>responseId</c> (made up when absent), the model <c>modelVersion</c>, the time of reading.
/// </remarks>
public static class GeminiResponseReader
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
            var document = GeminiDocumentReader.Read(ref reader);
            if (document.Error is { } error)
            {
                return new ValidationError("error", GeminiErrorReader.Describe(error));
            }
            return ToResponse(document);
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, "response body");
        }
    }

    private static ChatResponse ToResponse(GeminiDocument document)
    {
        var choices = ImmutableArray.CreateBuilder<ChatChoice>(Math.Max(1, document.Candidates.Count));
        foreach (var candidate in document.Candidates)
        {
            var finish = candidate.FinishReason is { } reason ? GeminiFinishReasons.FromWire(reason, candidate.HasFunctionCall) : null;
            var message = new Message { Role = ChatRole.Assistant, Parts = ToParts(candidate.Parts) };
            choices.Add(new ChatChoice(candidate.Index, message) { FinishReason = finish, Logprobs = candidate.Logprobs });
        }
        if (choices.Count == 0 && document.BlockReason is { } blockReason)
        {
            var refusal = GeminiFinishReasons.BlockedMessage(blockReason, document.BlockReasonMessage);
            var message = new Message { Role = ChatRole.Assistant, Parts = [new RefusalPart(refusal)] };
            choices.Add(new ChatChoice(0, message) { FinishReason = GeminiFinishReasons.FromBlockReason(blockReason) });
        }
        return new ChatResponse
        {
            Id = document.ResponseId ?? NewResponseId(),
            Model = document.ModelVersion ?? "",
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Choices = choices.ToImmutable(),
            Usage = document.Usage,
            SourceDialect = GeminiDialect.Name,
        };
    }

    /// <summary>An id for responses that came without <c>responseId</c>.</summary>
    internal static string NewResponseId() => WireIds.Random("gemini-", 32);

    private static ImmutableArray<ContentPart> ToParts(List<GeminiPart> parts)
    {
        var builder = ImmutableArray.CreateBuilder<ContentPart>(parts.Count);
        foreach (var part in parts)
        {
            if (part.Thought)
            {
                builder.Add(new ThinkingPart(part.Text ?? "", part.Signature));
                continue;
            }
            if (part.CallName is not null)
            {
                builder.Add(new ToolCallPart(part.CallId ?? GeminiPart.NewCallId(), part.CallName, part.CallArguments ?? "{}")
                {
                    Signature = part.Signature,
                });
                continue;
            }
            if (part.Signature is not null)
            {
                builder.Add(new ThinkingPart("", part.Signature));
            }
            if (!string.IsNullOrEmpty(part.Text))
            {
                builder.Add(new TextPart(part.Text));
            }
            else if (part.Data is not null || part.FileUri is not null)
            {
                builder.Add(ToMedia(part));
            }
        }
        return builder.ToImmutable();
    }

    private static ContentPart ToMedia(GeminiPart part)
    {
        var isImage = part.MimeType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true;
        if (part.Data is { } data)
        {
            return isImage ? ImagePart.FromData(data, part.MimeType!) : new FilePart { Data = data, MediaType = part.MimeType };
        }
        return isImage ? new ImagePart { Url = part.FileUri, MediaType = part.MimeType } : new FilePart { Url = part.FileUri, MediaType = part.MimeType };
    }
}
