using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary>The <c>messages</c> array: message shape, roles, and every content block's schema.</summary>
internal static partial class ContentValidator
{
    private static readonly string[] MessageKeys = ["role", "content"];
    private static readonly string[] Roles = ["user", "assistant"];
    private static readonly string[] TextKeys = ["type", "text", "cache_control", "citations"];
    private static readonly string[] ImageKeys = ["type", "source", "cache_control"];
    private static readonly string[] DocumentKeys = ["type", "source", "title", "context", "citations", "cache_control"];
    private static readonly string[] ToolUseKeys = ["type", "id", "name", "input", "cache_control", "caller"];
    private static readonly string[] ToolResultKeys = ["type", "tool_use_id", "content", "is_error", "cache_control"];
    private static readonly string[] ThinkingKeys = ["type", "thinking", "signature"];
    private static readonly string[] RedactedKeys = ["type", "data"];
    private static readonly string[] CacheKeys = ["type", "ttl", "scope"];
    private static readonly string[] Ttls = ["5m", "1h"];
    private static readonly string[] EphemeralTag = ["ephemeral"];
    private static readonly string[] MediaTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];
    private static readonly string[] ImageSources = ["base64", "url", "file"];
    private static readonly string[] DocumentSources = ["base64", "text", "content", "url", "file"];
    private static readonly string[] ResultContentTags = ["text", "image", "document", "search_result"];

    /// <summary>Every block type the API knows; the server-tool ones are accepted without a closer look.</summary>
    private static readonly string[] BlockTags =
    [
        "text", "image", "document", "search_result", "thinking", "redacted_thinking", "tool_use", "tool_result",
        "server_tool_use", "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
        "bash_code_execution_tool_result", "text_editor_code_execution_tool_result", "tool_search_tool_result",
        "mcp_tool_use", "mcp_tool_result", "container_upload",
    ];

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex IdPattern();

    /// <summary>
    /// A mid-conversation <c>role: system</c> message: accepted by the models that have them (Claude Opus 4.8 and later;
    /// here <c>claude-opus-4-8</c> and <c>mock-*</c>) right after a user turn, with text content; refused by older
    /// models as before. Its text counts towards the prompt but it takes no part in alternation.
    /// </summary>
    private static ApiError? CheckMidConversationSystem(JsonElement message, string at, int index, AnthropicRequest req)
    {
        if (!AnthropicModels.HasMidConversationSystem(req.Model))
        {
            return AnthropicErrors.Invalid(
                "messages: Unexpected role \"system\". Use the top-level system parameter.");
        }
        if (index == 0 || req.Messages.Count == 0 || req.Messages[^1].Role != "user" || req.MidSystemAfter.Contains(req.Messages.Count))
        {
            return AnthropicErrors.Invalid($"{at}: a \"system\" message must directly follow a \"user\" message");
        }
        if (!JsonShape.TryGetNonNull(message, "content", out var content))
        {
            return Pyd.Required(at + ".content");
        }
        if (Pyd.Keys(message, at, MessageKeys) is { } ke)
        {
            return ke;
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            req.MidSystemChars += content.GetString()!.Length;
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            int j = 0;
            foreach (var block in content.EnumerateArray())
            {
                if (CheckText(block, $"{at}.content.{j++}", out var text) is { } te)
                {
                    return te;
                }
                req.MidSystemChars += text!.Chars;
            }
        }
        else
        {
            return Pyd.Should(at + ".content", "a valid list");
        }
        req.MidSystemAfter.Add(req.Messages.Count);
        return null;
    }

    public static ApiError? CheckMessages(JsonElement messages, AnthropicRequest req)
    {
        int i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            string at = $"messages.{i++}";
            if (Pyd.Object(message, at) is { } oe)
            {
                return oe;
            }
            if (!JsonShape.TryGetNonNull(message, "role", out var roleEl))
            {
                return Pyd.Required(at + ".role");
            }
            string? role = roleEl.ValueKind == JsonValueKind.String ? roleEl.GetString() : null;
            if (role == "system")
            {
                if (CheckMidConversationSystem(message, at, i - 1, req) is { } se)
                {
                    return se;
                }
                continue;
            }
            if (role is null || Array.IndexOf(Roles, role) < 0)
            {
                return Pyd.Literal(at + ".role", Roles);
            }
            if (!JsonShape.TryGetNonNull(message, "content", out var content))
            {
                return Pyd.Required(at + ".content");
            }
            if (Pyd.Keys(message, at, MessageKeys) is { } ke)
            {
                return ke;
            }
            var parsed = new AnthropicMessage { Role = role };
            if (content.ValueKind == JsonValueKind.String)
            {
                string text = content.GetString()!;
                if (text.Length > 0)
                {
                    parsed.Blocks.Add(new AnthropicBlock { Type = "text", Text = text, Chars = text.Length, Raw = content.GetRawText() });
                }
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                int j = 0;
                foreach (var block in content.EnumerateArray())
                {
                    if (CheckBlock(block, $"{at}.content.{j++}", out var b) is { } be)
                    {
                        return be;
                    }
                    parsed.Blocks.Add(b!);
                }
            }
            else
            {
                return Pyd.Should(at + ".content", "a valid list");
            }
            req.Messages.Add(parsed);
        }
        return null;
    }

    private static ApiError? CheckBlock(JsonElement block, string at, out AnthropicBlock? parsed)
    {
        parsed = null;
        if (Pyd.Object(block, at) is { } oe)
        {
            return oe;
        }
        if (JsonShape.GetString(block, "type") is not { } type)
        {
            return Pyd.NoTag(at);
        }
        if (Array.IndexOf(BlockTags, type) < 0)
        {
            return Pyd.Tag(at, type, BlockTags);
        }
        string path = Pyd.Join(at, type);
        var error = type switch
        {
            "text" => CheckText(block, at, out parsed),
            "image" => CheckImage(block, path, out parsed),
            "document" => CheckDocument(block, path, out parsed),
            "tool_use" => CheckToolUse(block, path, out parsed),
            "tool_result" => CheckToolResult(block, path, out parsed),
            "thinking" => CheckThinking(block, path, out parsed),
            "redacted_thinking" => CheckRedacted(block, path, out parsed),
            _ => Loose(block, type, out parsed),
        };
        if (error is null)
        {
            parsed!.CacheControl = JsonShape.TryGetNonNull(block, "cache_control", out _);
            parsed.Raw = block.GetRawText();
            error = CheckCacheControl(block, path);
        }
        return error;
    }

    /// <summary>A text block (also used for <c>system</c> blocks); its path has no tag segment of its own.</summary>
    public static ApiError? CheckText(JsonElement block, string at, out AnthropicBlock? parsed)
    {
        parsed = null;
        string path = Pyd.Join(at, "text");
        if ((Pyd.String(block, "text", path, out string text) ?? Pyd.Keys(block, path, TextKeys) ?? CheckCacheControl(block, path)) is { } e)
        {
            return e;
        }
        if (JsonShape.TryGetNonNull(block, "citations", out var citations) && Pyd.List(citations, path + ".citations") is { } ce)
        {
            return ce;
        }
        parsed = new AnthropicBlock
        {
            Type = "text",
            Text = text,
            Chars = text.Length,
            CacheControl = JsonShape.TryGetNonNull(block, "cache_control", out _),
            Raw = block.GetRawText(),
        };
        return null;
    }

    private static ApiError? CheckImage(JsonElement block, string path, out AnthropicBlock? parsed)
    {
        parsed = null;
        if ((Pyd.Keys(block, path, ImageKeys) ?? CheckSource(block, path, ImageSources)) is { } e)
        {
            return e;
        }
        parsed = new AnthropicBlock { Type = "image", Media = 1 };
        return null;
    }

    private static ApiError? CheckDocument(JsonElement block, string path, out AnthropicBlock? parsed)
    {
        parsed = null;
        if ((Pyd.Keys(block, path, DocumentKeys) ?? CheckSource(block, path, DocumentSources) ?? Pyd.OptionalString(block, "title", path) ?? Pyd.OptionalString(block, "context", path)) is { } e)
        {
            return e;
        }
        parsed = new AnthropicBlock { Type = "document", Media = 1 };
        return null;
    }

    /// <summary>An image or document source: base64 (media type, valid data), url, file, and for documents text/content.</summary>
    private static ApiError? CheckSource(JsonElement block, string path, string[] tags)
    {
        string at = path + ".source";
        if (!JsonShape.TryGetNonNull(block, "source", out var source))
        {
            return Pyd.Required(at);
        }
        if (Pyd.Object(source, at) is { } oe)
        {
            return oe;
        }
        if (JsonShape.GetString(source, "type") is not { } kind)
        {
            return Pyd.NoTag(at);
        }
        if (Array.IndexOf(tags, kind) < 0)
        {
            return Pyd.Tag(at, kind, tags);
        }
        at = Pyd.Join(at, kind);
        bool image = tags == ImageSources;
        switch (kind)
        {
            case "base64":
                if (Pyd.String(source, "media_type", at, out string media) is { } me)
                {
                    return me;
                }
                if (image && Array.IndexOf(MediaTypes, media) < 0)
                {
                    return Pyd.Literal(at + ".media_type", MediaTypes);
                }
                if (!image && media != "application/pdf")
                {
                    return Pyd.Should(at + ".media_type", "'application/pdf'");
                }
                if (Pyd.String(source, "data", at, out string data) is { } de)
                {
                    return de;
                }
                if (data.Length == 0)
                {
                    return AnthropicErrors.Invalid($"{at}: {(image ? "image" : "document")} cannot be empty");
                }
                return Base64.IsValid(data) ? null : AnthropicErrors.Invalid($"{at}: invalid base64 data");
            case "url":
                return Pyd.String(source, "url", at, out _);
            case "file":
                return Pyd.String(source, "file_id", at, out _);
            case "text":
                return Pyd.String(source, "data", at, out _);
            default:
                return JsonShape.TryGetNonNull(source, "content", out _) ? null : Pyd.Required(at + ".content");
        }
    }

    private static ApiError? CheckToolUse(JsonElement block, string path, out AnthropicBlock? parsed)
    {
        parsed = null;
        if (Pyd.String(block, "id", path, out string id) is { } ie)
        {
            return ie;
        }
        if (!IdPattern().IsMatch(id))
        {
            return AnthropicErrors.Invalid($"{path}.id: String should match pattern '^[a-zA-Z0-9_-]+$'");
        }
        if (Pyd.String(block, "name", path, out string name) is { } ne)
        {
            return ne;
        }
        if (!JsonShape.TryGetNonNull(block, "input", out var input))
        {
            return Pyd.Required(path + ".input");
        }
        if ((Pyd.Object(input, path + ".input") ?? Pyd.Keys(block, path, ToolUseKeys)) is { } e)
        {
            return e;
        }
        string raw = input.GetRawText();
        parsed = new AnthropicBlock { Type = "tool_use", Id = id, Name = name, Text = raw, Chars = name.Length + raw.Length };
        return null;
    }

    private static ApiError? CheckToolResult(JsonElement block, string path, out AnthropicBlock? parsed)
    {
        parsed = null;
        if (Pyd.String(block, "tool_use_id", path, out string id) is { } ie)
        {
            return ie;
        }
        if (!IdPattern().IsMatch(id))
        {
            return AnthropicErrors.Invalid($"{path}.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'");
        }
        if ((Pyd.Keys(block, path, ToolResultKeys) ?? Pyd.OptionalBool(block, "is_error", path)) is { } e)
        {
            return e;
        }
        var result = new AnthropicBlock { Type = "tool_result", ToolUseId = id };
        if (JsonShape.TryGetNonNull(block, "content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                result.Text = content.GetString()!;
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var text = new StringBuilder();
                int k = 0;
                foreach (var item in content.EnumerateArray())
                {
                    string at = $"{path}.content.{k++}";
                    if (Pyd.Object(item, at) is { } oe)
                    {
                        return oe;
                    }
                    string? tag = JsonShape.GetString(item, "type");
                    if (tag is null)
                    {
                        return Pyd.NoTag(at);
                    }
                    if (Array.IndexOf(ResultContentTags, tag) < 0)
                    {
                        return Pyd.Tag(at, tag, ResultContentTags);
                    }
                    if (CheckBlock(item, at, out var inner) is { } be)
                    {
                        return be;
                    }
                    text.Append(inner!.Text);
                    result.Media += inner.Media;
                }
                result.Text = text.ToString();
            }
            else
            {
                return Pyd.Should(path + ".content", "a valid list");
            }
        }
        result.Chars = result.Text.Length;
        parsed = result;
        return null;
    }

    private static ApiError? CheckThinking(JsonElement block, string path, out AnthropicBlock? parsed)
    {
        parsed = null;
        if (Pyd.String(block, "thinking", path, out string thinking) is { } te)
        {
            return te;
        }
        if ((Pyd.String(block, "signature", path, out string signature) ?? Pyd.Keys(block, path, ThinkingKeys)) is { } e)
        {
            return e;
        }
        parsed = new AnthropicBlock { Type = "thinking", Text = thinking, Signature = signature, Chars = thinking.Length };
        return null;
    }

    private static ApiError? CheckRedacted(JsonElement block, string path, out AnthropicBlock? parsed)
    {
        parsed = null;
        if ((Pyd.String(block, "data", path, out string data) ?? Pyd.Keys(block, path, RedactedKeys)) is { } e)
        {
            return e;
        }
        parsed = new AnthropicBlock { Type = "redacted_thinking", Text = data };
        return null;
    }

    private static ApiError? Loose(JsonElement block, string type, out AnthropicBlock? parsed)
    {
        parsed = new AnthropicBlock { Type = type, Chars = block.GetRawText().Length, Id = JsonShape.GetString(block, "id") };
        return null;
    }

    /// <summary><c>cache_control: {type: "ephemeral", ttl?: "5m" | "1h"}</c> on a block, a tool, or the request.</summary>
    public static ApiError? CheckCacheControl(JsonElement owner, string path)
    {
        if (!JsonShape.TryGetNonNull(owner, "cache_control", out var cc))
        {
            return null;
        }
        string at = Pyd.Join(path, "cache_control");
        if (Pyd.Object(cc, at) is { } oe)
        {
            return oe;
        }
        if (JsonShape.GetString(cc, "type") is not { } type)
        {
            return Pyd.NoTag(at);
        }
        if (type != "ephemeral")
        {
            return Pyd.Tag(at, type, EphemeralTag);
        }
        at += ".ephemeral";
        if (Pyd.Keys(cc, at, CacheKeys) is { } ke)
        {
            return ke;
        }
        return JsonShape.TryGetNonNull(cc, "ttl", out var ttl) && (ttl.ValueKind != JsonValueKind.String || Array.IndexOf(Ttls, ttl.GetString()) < 0)
            ? Pyd.Literal(at + ".ttl", Ttls)
            : null;
    }
}
