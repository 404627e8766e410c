using static Switchboard.Translation.Json.WireReading;
using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Reads a Gemini <c>generateContent</c> request body (what Gemini CLI and the Google Gen AI SDKs send) into the
/// canonical model: <c>systemInstruction</c>, <c>contents</c>, <c>tools</c>, <c>toolConfig</c>,
/// <c>generationConfig</c>. The model and whether to stream are in the URL, so the caller supplies them.
/// Members the canonical model has no field for (<c>safetySettings</c>, <c>cachedContent</c>, ...) are kept as
/// extensions, written back only to a Gemini upstream. Errors name the member, e.g. <c>contents[2].parts[0].functionCall.name</c>.
/// </summary>
/// <remarks>A tree (<see cref="JsonElement"/>) rather than a forward reader: this path is not the chat fast path,
/// and function calls without ids must be paired with the responses that follow them.</remarks>
public static class GeminiRequestReader
{
    public static ReadResult<ChatRequest> Read(ReadOnlySpan<byte> json, string model, bool stream)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            var root = JsonElement.ParseValue(ref reader);
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ValidationError(null, "The request body must be a JSON object (a GenerateContentRequest).");
            }
            return Read(root, model, stream);
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            return WireDocument.Explain(e, "request body");
        }
    }

    /// <summary>Reads an already parsed GenerateContentRequest (also the <c>generateContentRequest</c> of countTokens).</summary>
    internal static ChatRequest Read(JsonElement root, string model, bool stream)
    {
        var messages = ImmutableArray.CreateBuilder<Message>();
        var extensions = ImmutableArray.CreateBuilder<ExtensionField>();
        var request = new ChatRequest { Model = model, Stream = stream, SourceDialect = GeminiDialect.Name };
        var sawContents = false;
        foreach (var member in root.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "contents":
                    sawContents = true;
                    new GeminiContentsReader(messages).ReadContents(value);
                    break;
                case "systemInstruction" or "system_instruction":
                    if (value.ValueKind != JsonValueKind.Null) messages.Insert(0, GeminiContentsReader.ReadSystemInstruction(value, member.Name));
                    break;
                case "tools":
                    request = request with { Tools = GeminiToolsReader.ReadTools(value) };
                    break;
                case "toolConfig" or "tool_config":
                    request = request with { ToolChoice = GeminiToolsReader.ReadToolConfig(value, member.Name) };
                    break;
                case "generationConfig" or "generation_config":
                    request = GeminiGenerationConfigReader.Apply(request, value, member.Name);
                    break;
                case "model":
                    // The SDKs may repeat the URL's model in the body; the URL decides.
                    break;
                default:
                    // safetySettings, cachedContent, labels, ...: relayed to a Gemini upstream, meaningless to others.
                    extensions.Add(new ExtensionField(member.Name, value));
                    break;
            }
        }
        if (!sawContents)
        {
            throw Fail("contents", "is required (the conversation: at least one user turn)", ValidationError.MissingRequiredParameter);
        }
        return request with { Messages = messages.ToImmutable(), Extensions = extensions.ToImmutable() };
    }

    /// <summary>A string member, or null when absent or null; any other type is an error naming it.</summary>
    internal static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(Join(path, name), "a string");
    }

    /// <summary>An object element, or an error naming <paramref name="path"/>.</summary>
    internal static JsonElement ExpectObject(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object ? value : throw WrongType(path, "an object");

    /// <summary>An array element (null: empty), or an error naming <paramref name="path"/>.</summary>
    internal static JsonElement.ArrayEnumerator ExpectArray(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray(),
        JsonValueKind.Null => default,
        _ => throw WrongType(path, "an array"),
    };
}
