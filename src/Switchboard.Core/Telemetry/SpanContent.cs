using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Switchboard.Telemetry;

/// <summary>
/// Prompt and answer text on a request span (<c>telemetry.trace_content: true</c> only): the GenAI conventions' opt-in
/// content attributes, each holding the JSON value as the client's API has it (e.g. Chat Completions' <c>messages</c>,
/// Anthropic's <c>content</c> blocks), cut at <see cref="MaxChars"/> characters.
/// </summary>
internal static class SpanContent
{
    /// <summary>Longest content attribute; a longer value is cut and ends with <see cref="CutMark"/>.</summary>
    public const int MaxChars = 16 * 1024;

    public const string CutMark = "…[truncated]";

    /// <summary>gen_ai.input.messages (messages / input / prompt) and gen_ai.system_instructions (system / instructions).</summary>
    public static void TagInput(Activity span, ReadOnlySpan<byte> request)
    {
        using var document = Parse(request);
        if (document is null) return;
        var root = document.RootElement;
        if (First(root, "messages", "input", "prompt") is { } input) span.SetTag("gen_ai.input.messages", Bounded(input));
        if (First(root, "system", "instructions") is { } system) span.SetTag("gen_ai.system_instructions", Bounded(system));
    }

    /// <summary>gen_ai.output.messages: the answer's choices (OpenAI), content blocks (Anthropic) or output items (Responses).</summary>
    public static void TagOutput(Activity span, ReadOnlySpan<byte> answer)
    {
        using var document = Parse(answer);
        if (document is not null && First(document.RootElement, "choices", "content", "output") is { } output)
        {
            span.SetTag("gen_ai.output.messages", Bounded(output));
        }
    }

    private static JsonDocument? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var document = JsonDocument.Parse(json.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? First(JsonElement root, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)) return value;
        }
        return null;
    }

    private static string Bounded(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (text.Length <= MaxChars) return text;
        var cut = MaxChars;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return new StringBuilder(cut + CutMark.Length).Append(text, 0, cut).Append(CutMark).ToString();
    }
}
