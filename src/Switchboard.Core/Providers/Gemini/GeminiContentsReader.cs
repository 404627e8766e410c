using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Providers.Gemini.GeminiRequestReader;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Reads a request's <c>contents</c> (turns of role <c>user</c> or <c>model</c>, each a list of parts) into canonical
/// messages. A <c>functionCall</c> without an id (Gemini's own calls have none) gets one, and the next
/// <c>functionResponse</c> of the same name without an id gets the same, so other providers can pair them.
/// </summary>
internal sealed class GeminiContentsReader(ImmutableArray<Message>.Builder messages)
{
    /// <summary>Ids given to calls that came without one, by function name, oldest first.</summary>
    private readonly Dictionary<string, Queue<string>> _unansweredCalls = new(StringComparer.Ordinal);

    public void ReadContents(JsonElement contents)
    {
        var index = 0;
        foreach (var content in ExpectArray(contents, "contents"))
        {
            var path = $"contents[{index++}]";
            ExpectObject(content, path);
            var role = OptionalString(content, "role", path) ?? "user";
            var model = role switch
            {
                "model" => true,
                "user" or "function" or "tool" => false,
                _ => throw Fail(Join(path, "role"), $"must be 'user' or 'model', not '{role}'"),
            };
            var parts = ImmutableArray.CreateBuilder<ContentPart>();
            if (content.TryGetProperty("parts", out var partsValue))
            {
                var partIndex = 0;
                foreach (var part in ExpectArray(partsValue, Join(path, "parts")))
                {
                    ReadPart(part, $"{path}.parts[{partIndex++}]", model, parts);
                }
            }
            if (parts.Count == 0) continue;
            messages.Add(new Message { Role = model ? ChatRole.Assistant : ChatRole.User, Parts = parts.ToImmutable(), Form = ContentForm.Auto });
        }
    }

    /// <summary><c>systemInstruction</c>: a Content (its role ignored) or, as some SDKs allow, a plain string.</summary>
    public static Message ReadSystemInstruction(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String) return Message.FromText(ChatRole.System, value.GetString()!);
        ExpectObject(value, path);
        var text = new System.Text.StringBuilder();
        if (value.TryGetProperty("parts", out var parts))
        {
            var index = 0;
            foreach (var part in ExpectArray(parts, Join(path, "parts")))
            {
                var partPath = $"{path}.parts[{index++}]";
                ExpectObject(part, partPath);
                var piece = OptionalString(part, "text", partPath) ?? throw Fail(partPath, "only text parts are accepted in systemInstruction");
                if (text.Length > 0 && piece.Length > 0) text.Append('\n');
                text.Append(piece);
            }
        }
        return Message.FromText(ChatRole.System, text.ToString());
    }

    private void ReadPart(JsonElement part, string path, bool model, ImmutableArray<ContentPart>.Builder parts)
    {
        ExpectObject(part, path);
        var signature = OptionalString(part, "thoughtSignature", path) ?? OptionalString(part, "thought_signature", path);
        var thought = part.TryGetProperty("thought", out var thoughtValue) && thoughtValue.ValueKind == JsonValueKind.True;
        if (part.TryGetProperty("functionCall", out var call) || part.TryGetProperty("function_call", out call))
        {
            if (!model) throw Fail(Join(path, "functionCall"), "only turns of role 'model' may hold function calls");
            parts.Add(ReadCall(call, Join(path, "functionCall"), signature));
            return;
        }
        if (part.TryGetProperty("functionResponse", out var response) || part.TryGetProperty("function_response", out response))
        {
            if (model) throw Fail(Join(path, "functionResponse"), "function responses belong in a 'user' turn");
            parts.Add(ReadResponse(response, Join(path, "functionResponse")));
            return;
        }
        if (part.TryGetProperty("inlineData", out var inline) || part.TryGetProperty("inline_data", out inline))
        {
            AddSignature(parts, signature, model);
            parts.Add(ReadInline(inline, Join(path, "inlineData")));
            return;
        }
        if (part.TryGetProperty("fileData", out var file) || part.TryGetProperty("file_data", out file))
        {
            AddSignature(parts, signature, model);
            parts.Add(ReadFile(file, Join(path, "fileData")));
            return;
        }
        if (part.TryGetProperty("text", out _))
        {
            var text = OptionalString(part, "text", path) ?? "";
            if (thought && model)
            {
                parts.Add(new ThinkingPart(text, signature));
                return;
            }
            AddSignature(parts, signature, model);
            if (text.Length > 0 || !model) parts.Add(new TextPart(text));
            return;
        }
        if (signature is not null && model)
        {
            // A part that only carries a signature (Gemini ends some turns so).
            parts.Add(new ThinkingPart("", signature));
            return;
        }
        // executableCode, codeExecutionResult, videoMetadata: Gemini's own; relayed to a Gemini upstream as they came.
        parts.Add(new ProviderPart(GeminiDialect.Name, FirstMemberName(part), part));
    }

    /// <summary>A signature on a text or media part travels as an empty signed thinking part before it (the convention of the Gemini readers and writers).</summary>
    private static void AddSignature(ImmutableArray<ContentPart>.Builder parts, string? signature, bool model)
    {
        if (signature is not null && model) parts.Add(new ThinkingPart("", signature));
    }

    private ToolCallPart ReadCall(JsonElement call, string path, string? signature)
    {
        ExpectObject(call, path);
        var name = OptionalString(call, "name", path) ?? throw Missing(Join(path, "name"));
        var id = OptionalString(call, "id", path);
        if (id is null)
        {
            id = GeminiPart.NewCallId();
            if (!_unansweredCalls.TryGetValue(name, out var queue)) _unansweredCalls[name] = queue = new Queue<string>();
            queue.Enqueue(id);
        }
        var arguments = "{}";
        if (call.TryGetProperty("args", out var args) && args.ValueKind != JsonValueKind.Null)
        {
            arguments = args.ValueKind == JsonValueKind.Object ? args.GetRawText() : throw WrongType(Join(path, "args"), "an object");
        }
        return new ToolCallPart(id, name, arguments) { Signature = signature };
    }

    private ToolResultPart ReadResponse(JsonElement response, string path)
    {
        ExpectObject(response, path);
        var name = OptionalString(response, "name", path) ?? throw Missing(Join(path, "name"));
        var id = OptionalString(response, "id", path);
        if (id is null && _unansweredCalls.TryGetValue(name, out var queue) && queue.Count > 0) id = queue.Dequeue();
        var content = ImmutableArray.CreateBuilder<ContentPart>();
        var isError = false;
        if (response.TryGetProperty("response", out var result) && result.ValueKind != JsonValueKind.Null)
        {
            ExpectObject(result, Join(path, "response"));
            // Gemini's convention: {"output": ...} or {"error": ...}; a lone string is given as text, anything else as JSON.
            isError = result.TryGetProperty("error", out _) && !result.TryGetProperty("output", out _);
            content.Add(new TextPart(SingleString(result) ?? result.GetRawText()));
        }
        if (response.TryGetProperty("parts", out var extra))
        {
            var index = 0;
            foreach (var part in ExpectArray(extra, Join(path, "parts")))
            {
                var partPath = $"{path}.parts[{index++}]";
                ExpectObject(part, partPath);
                if (part.TryGetProperty("inlineData", out var inline)) content.Add(ReadInline(inline, Join(partPath, "inlineData")));
                else if (part.TryGetProperty("fileData", out var file)) content.Add(ReadFile(file, Join(partPath, "fileData")));
            }
        }
        return new ToolResultPart(id) { Name = name, Content = content.ToImmutable(), IsError = isError, Form = ContentForm.Text };
    }

    /// <summary>The text of a response that is one string member (<c>{"output": "..."}</c>), else null.</summary>
    private static string? SingleString(JsonElement result)
    {
        string? text = null;
        var count = 0;
        foreach (var member in result.EnumerateObject())
        {
            if (++count > 1 || member.Value.ValueKind != JsonValueKind.String) return null;
            text = member.Value.GetString();
        }
        return text;
    }

    private static ContentPart ReadInline(JsonElement inline, string path)
    {
        ExpectObject(inline, path);
        var mime = OptionalString(inline, "mimeType", path) ?? OptionalString(inline, "mime_type", path) ?? throw Missing(Join(path, "mimeType"));
        var data = OptionalString(inline, "data", path) ?? throw Missing(Join(path, "data"));
        if (mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase)) return ImagePart.FromData(data, mime);
        if (mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)) return new AudioPart(data, AudioFormat(mime));
        return new FilePart { Data = data, MediaType = mime };
    }

    private static ContentPart ReadFile(JsonElement file, string path)
    {
        ExpectObject(file, path);
        var uri = OptionalString(file, "fileUri", path) ?? OptionalString(file, "file_uri", path) ?? throw Missing(Join(path, "fileUri"));
        var mime = OptionalString(file, "mimeType", path) ?? OptionalString(file, "mime_type", path);
        CheckMediaUrl(uri, Join(path, "fileUri"), allowData: false);
        return mime?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true
            ? new ImagePart { Url = uri, MediaType = mime }
            : new FilePart { Url = uri, MediaType = mime };
    }

    /// <summary>The canonical audio format name (<c>wav</c>, <c>mp3</c>) of an audio MIME type.</summary>
    private static string AudioFormat(string mime)
    {
        var subtype = mime[(mime.IndexOf('/') + 1)..].ToLowerInvariant();
        return subtype switch { "mpeg" => "mp3", "x-wav" or "wave" => "wav", _ => subtype };
    }

    private static string FirstMemberName(JsonElement part)
    {
        foreach (var member in part.EnumerateObject()) return member.Name;
        return "part";
    }
}
