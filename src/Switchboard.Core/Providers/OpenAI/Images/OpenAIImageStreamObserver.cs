using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Images;

/// <summary>
/// Watches a relayed gpt-image stream (<c>image_generation.partial_image</c> events, then one
/// <c>image_generation.completed</c> per image, each with its <c>usage</c>; an edit's are <c>image_edit.*</c>) for what
/// the ledger needs: the images finished, their summed usage, and an <c>error</c> event. The events themselves go to
/// the client untouched.
/// </summary>
public sealed class OpenAIImageStreamObserver(int expectedImages) : IUpstreamStreamReader
{
    private OpenAIImageAnswerReader.ImageTokens _sum;

    /// <summary>Images whose completed event arrived.</summary>
    public int Completed { get; private set; }

    /// <summary>The size and quality the completed events name (gpt-image resolves <c>auto</c>).</summary>
    public string? Size { get; private set; }
    public string? Quality { get; private set; }

    public long ImageInputTokens => _sum.ImageInput;

    public bool IsComplete => Completed >= expectedImages;

    public bool TryRead(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, List<StreamEvent> events, out ValidationError? error)
    {
        error = null;
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return true;
        string? type = null, message = null, size = null, quality = null;
        OpenAIImageAnswerReader.ImageTokens? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) type = Text(ref reader);
            else if (reader.ValueTextEquals("size"u8)) size = Text(ref reader);
            else if (reader.ValueTextEquals("quality"u8)) quality = Text(ref reader);
            else if (reader.ValueTextEquals("message"u8)) message = Text(ref reader);
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = OpenAIImageAnswerReader.ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                message ??= ErrorMessage(ref reader);
                type ??= "error";
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (type == "error")
        {
            events.Add(new StreamErrorEvent(message ?? "The upstream image stream failed."));
            return true;
        }
        if (type is not ("image_generation.completed" or "image_edit.completed")) return true;
        Completed++;
        Size ??= size;
        Quality ??= quality;
        if (usage is { } u)
        {
            _sum.Input += u.Input;
            _sum.Output += u.Output;
            _sum.Total += u.Total;
            _sum.ImageInput += u.ImageInput;
            _sum.Reported = _sum.Reported || u.Reported;
            events.Add(new UsageEvent(new Translation.Canonical.Usage { PromptTokens = (int)_sum.Input, CompletionTokens = (int)_sum.Output, TotalTokens = (int)(_sum.Total > 0 ? _sum.Total : _sum.Input + _sum.Output) }));
        }
        return true;
    }

    public void Complete(List<StreamEvent> events) { }

    private static string? Text(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    private static string? ErrorMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8)) message = Text(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return message;
    }
}
