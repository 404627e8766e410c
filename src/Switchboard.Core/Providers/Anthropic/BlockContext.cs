using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// What writing a block needs beyond the part: whether the request is Anthropic's own (written exactly)
/// and may carry raw extensions, where the block is (for error paths, built only on error), and ids for
/// tool calls that have none (Gemini's), matched to their results by name in order.
/// </summary>
internal sealed class BlockContext(bool own, bool writeExtensions)
{
    private Dictionary<string, Queue<string>>? _pendingIds;
    private int _generated;

    public bool Own { get; } = own;

    public bool WriteExtensions { get; } = writeExtensions;

    public int MessageIndex { get; set; }

    public int PartIndex { get; set; }

    /// <summary>Position inside a tool result's content; -1 outside one.</summary>
    public int NestedIndex { get; set; } = -1;

    /// <summary>Position of the current tool call among its message's tool calls (OpenAI's <c>tool_calls[k]</c>).</summary>
    public int ToolCallIndex { get; set; }

    public string Path => NestedIndex < 0
        ? $"messages[{MessageIndex}].content[{PartIndex}]"
        : $"messages[{MessageIndex}].content[{PartIndex}].content[{NestedIndex}]";

    /// <summary>Where a tool call's arguments sat in the client's request: OpenAI's spelling for requests
    /// read from other dialects, since that is where they come from.</summary>
    public string ArgumentsPath => Own
        ? $"{Path}.input"
        : $"messages[{MessageIndex}].tool_calls[{ToolCallIndex}].function.arguments";

    public string ToolUseId(ToolCallPart call)
    {
        if (call.Id is not null)
        {
            return call.Id;
        }
        var id = $"toolu_sb{_generated++:D4}";
        _pendingIds ??= new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
        if (!_pendingIds.TryGetValue(call.Name, out var queue))
        {
            _pendingIds[call.Name] = queue = new Queue<string>();
        }
        queue.Enqueue(id);
        return id;
    }

    public string ToolResultId(ToolResultPart result)
    {
        if (result.ToolCallId is not null)
        {
            return result.ToolCallId;
        }
        if (result.Name is not null && _pendingIds is not null && _pendingIds.TryGetValue(result.Name, out var queue) && queue.Count > 0)
        {
            return queue.Dequeue();
        }
        throw Fail(Path, "a tool result without a tool call id must follow a call of the same tool");
    }
}
