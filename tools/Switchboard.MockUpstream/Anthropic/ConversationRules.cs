namespace Switchboard.MockUpstream.Anthropic;

/// <summary>
/// Rules across messages: alternation, non-empty content, tool_use / tool_result pairing, and extended thinking
/// (signatures must be the ones the mock issued; with thinking on, the assistant turn of an ongoing tool loop must
/// start with its thinking block). These catch gateways that merge, drop or re-serialise parts of a conversation.
/// </summary>
internal static class ConversationRules
{
    private const string ThinkingDocs = "https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

    public static ApiError? Check(AnthropicRequest req) =>
        CheckShape(req.Messages) ?? CheckToolPairing(req.Messages) ?? CheckThinking(req);

    private static ApiError? CheckShape(List<AnthropicMessage> messages)
    {
        if (messages.Count == 0)
        {
            return AnthropicErrors.Invalid("messages: at least one message is required");
        }
        if (messages[0].Role != "user")
        {
            return AnthropicErrors.Invalid("messages: first message must use the \"user\" role");
        }
        for (int i = 1; i < messages.Count; i++)
        {
            if (messages[i].Role == messages[i - 1].Role)
            {
                return AnthropicErrors.Invalid(
                    $"messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"{messages[i].Role}\" roles in a row");
            }
        }
        for (int i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            bool finalAssistant = i == messages.Count - 1 && m.Role == "assistant";
            if (m.Blocks.Count == 0 && !finalAssistant)
            {
                return AnthropicErrors.Invalid($"messages.{i}: all messages must have non-empty content except for the optional final assistant message");
            }
            foreach (var b in m.Blocks)
            {
                if (b.Type != "text")
                {
                    continue;
                }
                if (b.Text.Length == 0)
                {
                    return AnthropicErrors.Invalid("messages: text content blocks must be non-empty");
                }
                if (string.IsNullOrWhiteSpace(b.Text))
                {
                    return AnthropicErrors.Invalid("messages: text content blocks must contain non-whitespace text");
                }
            }
            if (finalAssistant && m.Blocks.Count > 0 && m.Blocks[^1].Type == "text" && char.IsWhiteSpace(m.Blocks[^1].Text[^1]))
            {
                return AnthropicErrors.Invalid("messages: final assistant content cannot end with trailing whitespace");
            }
        }
        return null;
    }

    private static ApiError? CheckToolPairing(List<AnthropicMessage> messages)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            if (m.Role == "assistant")
            {
                var ids = new List<string>();
                for (int j = 0; j < m.Blocks.Count; j++)
                {
                    if (m.Blocks[j].Type == "tool_use")
                    {
                        if (!seen.Add(m.Blocks[j].Id!))
                        {
                            return AnthropicErrors.Invalid($"messages.{i}.content.{j}: `tool_use` ids must be unique");
                        }
                        ids.Add(m.Blocks[j].Id!);
                    }
                }
                var answered = i + 1 < messages.Count
                    ? messages[i + 1].Blocks.Where(b => b.Type == "tool_result").Select(b => b.ToolUseId!).ToHashSet(StringComparer.Ordinal)
                    : [];
                var missing = ids.Where(id => !answered.Contains(id)).ToList();
                if (missing.Count > 0)
                {
                    return AnthropicErrors.Invalid(
                        $"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", missing)}. " +
                        "Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
                }
                continue;
            }
            var offered = i > 0
                ? messages[i - 1].Blocks.Where(b => b.Type == "tool_use").Select(b => b.Id!).ToHashSet(StringComparer.Ordinal)
                : [];
            for (int j = 0; j < m.Blocks.Count; j++)
            {
                if (m.Blocks[j].Type == "tool_result" && !offered.Contains(m.Blocks[j].ToolUseId!))
                {
                    return AnthropicErrors.Invalid(
                        $"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {m.Blocks[j].ToolUseId}. " +
                        "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                }
            }
        }
        return null;
    }

    private static ApiError? CheckThinking(AnthropicRequest req)
    {
        var messages = req.Messages;
        for (int i = 0; i < messages.Count; i++)
        {
            for (int j = 0; j < messages[i].Blocks.Count; j++)
            {
                var b = messages[i].Blocks[j];
                if (b.Type == "thinking" && !ThoughtSignatures.IsValidAnthropic(b.Text, b.Signature!))
                {
                    return AnthropicErrors.Invalid($"messages.{i}.content.{j}: Invalid `signature` in `thinking` block");
                }
            }
        }
        int last = messages.Count - 1;
        if (req.Thinking == ThinkingMode.Off)
        {
            if (messages[last].Role == "assistant")
            {
                int j = messages[last].Blocks.FindIndex(b => b.Type is "thinking" or "redacted_thinking");
                if (j >= 0)
                {
                    return AnthropicErrors.Invalid(
                        $"messages.{last}.content.{j}: When thinking is disabled, an `assistant` message in the final position cannot contain " +
                        "`thinking`. To use thinking blocks, enable `thinking` in your request.");
                }
            }
            return null;
        }
        // The turn in progress: the last assistant message when the conversation ends with its tool results.
        if (last >= 1 && messages[last].HasType("tool_result") && messages[last - 1].Role == "assistant")
        {
            var first = messages[last - 1].Blocks[0];
            if (first.Type is not ("thinking" or "redacted_thinking"))
            {
                return AnthropicErrors.Invalid(
                    $"messages.{last - 1}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{first.Type}`. When `thinking` is " +
                    "enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and " +
                    "`tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, " +
                    $"disable `thinking`. Please consult our documentation at {ThinkingDocs}");
            }
        }
        return null;
    }
}
