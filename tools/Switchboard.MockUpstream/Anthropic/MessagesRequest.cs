using System.Text.Json;

namespace Switchboard.MockUpstream.Anthropic;

internal enum ToolChoiceKind
{
    Auto,
    Any,
    Tool,
    None,
}

internal enum ThinkingMode
{
    Off,
    Enabled,
    Adaptive,
}

/// <summary>One content block as the generator and the conversation rules need it.</summary>
internal sealed class AnthropicBlock
{
    public required string Type { get; init; }

    /// <summary>text / thinking text / tool_result content as text / redacted data.</summary>
    public string Text { get; set; } = "";

    /// <summary>tool_use id.</summary>
    public string? Id { get; set; }

    /// <summary>tool_use name.</summary>
    public string? Name { get; set; }

    public string? ToolUseId { get; set; }

    public string? Signature { get; set; }

    /// <summary>Characters counted as prompt text (~4 a token).</summary>
    public int Chars { get; set; }

    /// <summary>Images and documents, each billed as a fixed number of tokens.</summary>
    public int Media { get; set; }

    public bool CacheControl { get; set; }

    /// <summary>The block's JSON as sent, for the prompt-cache prefix hash.</summary>
    public string Raw { get; set; } = "";
}

internal sealed class AnthropicMessage
{
    public required string Role { get; init; }

    public List<AnthropicBlock> Blocks { get; } = [];

    public bool HasType(string type) => Blocks.Exists(b => b.Type == type);
}

internal sealed class AnthropicTool
{
    public required string Name { get; init; }

    /// <summary>Server tools (web_search_…, bash_…) carry a versioned <c>type</c>; the mock never calls them.</summary>
    public bool Server { get; init; }

    /// <summary><c>defer_loading: true</c>: the model does not see the tool until a tool search loads it, so the mock never calls it.</summary>
    public bool Deferred { get; init; }

    public JsonElement? InputSchema { get; init; }

    public int Chars { get; init; }

    public bool CacheControl { get; init; }

    public string Raw { get; init; } = "";
}

/// <summary>A validated Messages (or count_tokens) request. JsonElements point into the caller's document.</summary>
internal sealed class AnthropicRequest
{
    public required string Model { get; init; }

    public int MaxTokens { get; set; }

    public bool CountTokens { get; init; }

    public List<AnthropicMessage> Messages { get; } = [];

    public List<AnthropicBlock> System { get; } = [];

    /// <summary>Positions in <see cref="Messages"/> after which a mid-conversation system message stood.</summary>
    public HashSet<int> MidSystemAfter { get; } = [];

    /// <summary>Characters of text in mid-conversation system messages (they count towards the prompt).</summary>
    public int MidSystemChars { get; set; }

    public List<AnthropicTool> Tools { get; } = [];

    public ToolChoiceKind ToolChoice { get; set; } = ToolChoiceKind.Auto;

    public string? ToolChoiceName { get; set; }

    public bool ToolChoiceSet { get; set; }

    public ThinkingMode Thinking { get; set; }

    public int BudgetTokens { get; set; }

    public List<string> StopSequences { get; } = [];

    public bool Stream { get; set; }

    public double? Temperature { get; set; }

    /// <summary>output_config.format / output_format json_schema: the answer is JSON following it.</summary>
    public JsonElement? OutputSchema { get; set; }

    /// <summary>Top-level cache_control: the last cacheable block becomes the breakpoint.</summary>
    public bool AutoCacheControl { get; set; }

    /// <summary>anthropic-beta asked for interleaved thinking (thinking between tool calls).</summary>
    public bool Interleaved { get; set; }
}
