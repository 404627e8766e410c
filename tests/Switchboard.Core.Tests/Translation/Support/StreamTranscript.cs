namespace Switchboard.Core.Tests.Translation.Support;

/// <summary>
/// What a client accumulates from an OpenAI chat stream, computed straight from the chunk JSON
/// (independently of the code under test): per choice its text, refusal, reasoning, tool calls,
/// finish reason and logprob tokens; the usage numbers; the identities the chunks carried.
/// </summary>
public sealed class StreamTranscript
{
    public SortedDictionary<int, ChoiceTranscript> Choices { get; } = [];

    public HashSet<string> Identities { get; } = [];

    public JsonElement? Usage { get; private set; }

    public int UsageFrames { get; private set; }

    public List<string> Errors { get; } = [];

    public static StreamTranscript Of(IEnumerable<string> chunks)
    {
        var transcript = new StreamTranscript();
        foreach (var chunk in chunks)
        {
            transcript.Add(JsonDocument.Parse(chunk).RootElement);
        }
        return transcript;
    }

    public int? UsageNumber(string name, string? details = null)
    {
        if (Usage is not { } usage)
        {
            return null;
        }
        var container = usage;
        if (details is not null && (!usage.TryGetProperty(details, out container) || container.ValueKind != JsonValueKind.Object))
        {
            return null;
        }
        return container.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
    }

    /// <summary>A deterministic text form, for whole-transcript comparison with readable diffs.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var (index, choice) in Choices)
        {
            text.AppendLine($"choice {index}: role={choice.Role} finish={choice.Finish}");
            text.AppendLine($"  text={JsonSerializer.Serialize(choice.Text.ToString())}");
            text.AppendLine($"  refusal={JsonSerializer.Serialize(choice.Refusal.ToString())}");
            text.AppendLine($"  reasoning={JsonSerializer.Serialize(choice.Reasoning.ToString())}");
            text.AppendLine($"  signatures={string.Join(",", choice.Signatures)}");
            text.AppendLine($"  logprob tokens={JsonSerializer.Serialize(choice.LogprobTokens)}");
            foreach (var (toolIndex, tool) in choice.Tools)
            {
                text.AppendLine($"  tool {toolIndex}: id={tool.Id} type={tool.Type} name={tool.Name} args={tool.Arguments} signature={tool.Signature}");
            }
        }
        foreach (var name in new[] { "prompt_tokens", "completion_tokens", "total_tokens" })
        {
            text.AppendLine($"usage {name}={UsageNumber(name)}");
        }
        text.AppendLine($"usage cached_tokens={UsageNumber("cached_tokens", "prompt_tokens_details")}");
        text.AppendLine($"usage reasoning_tokens={UsageNumber("reasoning_tokens", "completion_tokens_details")}");
        text.AppendLine($"usage frames={UsageFrames}");
        text.AppendLine($"errors={string.Join("|", Errors)}");
        return text.ToString();
    }

    private void Add(JsonElement chunk)
    {
        if (chunk.TryGetProperty("error", out var error))
        {
            Errors.Add(error.GetProperty("message").GetString()!);
            return;
        }
        Identities.Add($"{chunk.GetProperty("id")}|{chunk.GetProperty("created")}|{chunk.GetProperty("model")}");
        if (chunk.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            Usage = usage.Clone();
            UsageFrames++;
        }
        foreach (var choice in chunk.GetProperty("choices").EnumerateArray())
        {
            var index = choice.GetProperty("index").GetInt32();
            if (!Choices.TryGetValue(index, out var state))
            {
                Choices[index] = state = new ChoiceTranscript();
            }
            state.Add(choice);
        }
    }
}

/// <summary>One choice's accumulation; <see cref="ToolTranscript.HeaderCount"/> counts deltas that
/// repeated a call's id, type or name (OpenAI sends them once).</summary>
public sealed class ChoiceTranscript
{
    public string? Role { get; private set; }

    public int RoleCount { get; private set; }

    public StringBuilder Text { get; } = new();

    public StringBuilder Refusal { get; } = new();

    public StringBuilder Reasoning { get; } = new();

    public List<string> Signatures { get; } = [];

    public List<string> LogprobTokens { get; } = [];

    public SortedDictionary<int, ToolTranscript> Tools { get; } = [];

    /// <summary>Tool indexes in order of first appearance.</summary>
    public List<int> ToolOrder { get; } = [];

    public string? Finish { get; private set; }

    public int FinishCount { get; private set; }

    public bool DeltaAfterFinish { get; private set; }

    internal void Add(JsonElement choice)
    {
        var delta = choice.GetProperty("delta");
        var hasDelta = false;
        foreach (var member in delta.EnumerateObject())
        {
            if (member.Value.ValueKind is JsonValueKind.Null)
            {
                continue;
            }
            switch (member.Name)
            {
                case "role":
                    Role ??= member.Value.GetString();
                    RoleCount++;
                    break;
                case "content":
                    Text.Append(member.Value.GetString());
                    hasDelta |= member.Value.GetString()!.Length > 0;
                    break;
                case "refusal":
                    Refusal.Append(member.Value.GetString());
                    hasDelta |= member.Value.GetString()!.Length > 0;
                    break;
                case "reasoning_content":
                    Reasoning.Append(member.Value.GetString());
                    hasDelta = true;
                    break;
                case "thinking_blocks":
                    foreach (var block in member.Value.EnumerateArray())
                    {
                        if (block.TryGetProperty("signature", out var signature))
                        {
                            Signatures.Add(signature.GetString()!);
                        }
                    }
                    hasDelta = true;
                    break;
                case "tool_calls":
                    foreach (var call in member.Value.EnumerateArray())
                    {
                        AddToolCall(call);
                    }
                    hasDelta = true;
                    break;
            }
        }
        if (hasDelta && Finish is not null)
        {
            DeltaAfterFinish = true;
        }
        if (choice.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object)
        {
            foreach (var kind in new[] { "content", "refusal" })
            {
                if (logprobs.TryGetProperty(kind, out var tokens) && tokens.ValueKind == JsonValueKind.Array)
                {
                    LogprobTokens.AddRange(tokens.EnumerateArray().Select(t => t.GetProperty("token").GetString()!));
                }
            }
        }
        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            Finish = finish.GetString();
            FinishCount++;
        }
    }

    private void AddToolCall(JsonElement call)
    {
        var index = call.GetProperty("index").GetInt32();
        if (!Tools.TryGetValue(index, out var tool))
        {
            Tools[index] = tool = new ToolTranscript();
            ToolOrder.Add(index);
        }
        var header = false;
        if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            tool.Id ??= id.GetString();
            header = true;
        }
        if (call.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            tool.Type ??= type.GetString();
            header = true;
        }
        if (call.TryGetProperty("extra_content", out var extra))
        {
            tool.Signature = extra.GetProperty("google").GetProperty("thought_signature").GetString();
        }
        if (call.TryGetProperty("function", out var function))
        {
            if (function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                tool.Name ??= name.GetString();
                header = true;
            }
            if (function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String)
            {
                tool.Arguments += arguments.GetString();
            }
        }
        if (header)
        {
            tool.HeaderCount++;
            tool.HeaderOnFirstDelta &= tool.Deltas == 0;
        }
        tool.Deltas++;
    }
}

public sealed class ToolTranscript
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public string? Name { get; set; }

    public string Arguments { get; set; } = "";

    public string? Signature { get; set; }

    public int HeaderCount { get; set; }

    public bool HeaderOnFirstDelta { get; set; } = true;

    public int Deltas { get; set; }
}
