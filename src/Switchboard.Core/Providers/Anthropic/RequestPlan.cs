using Switchboard.Translation;
using Switchboard.Translation.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Anthropic;

/// <summary>How thinking goes out.</summary>
internal enum ThinkingMode
{
    /// <summary>No <c>thinking</c> member.</summary>
    None,
    /// <summary><c>{"type":"enabled","budget_tokens":N}</c>.</summary>
    Budget,
    /// <summary><c>{"type":"adaptive"}</c>, with <c>output_config.effort</c> when an effort is known.</summary>
    Adaptive,
    /// <summary><c>{"type":"disabled"}</c> (only when an Anthropic client said so).</summary>
    Disabled,
}

/// <summary>
/// The decisions of <see cref="AnthropicMessagesRequestWriter"/> that depend on each other (max_tokens,
/// thinking, sampling, JSON mode), made before anything is written.
/// </summary>
internal sealed class RequestPlan
{
    public int? MaxTokens { get; private init; }

    public ThinkingMode Thinking { get; private init; }

    public int BudgetTokens { get; private init; }

    /// <summary><c>output_config.effort</c> to write for adaptive thinking (foreign requests only).</summary>
    public string? Effort { get; private init; }

    public double? Temperature { get; private init; }

    public double? TopP { get; private init; }

    public int? TopK { get; private init; }

    /// <summary>Name of the JSON answer tool, or null when not in JSON mode.</summary>
    public string? JsonTool { get; private init; }

    /// <summary>An Anthropic request: everything as read.</summary>
    public static RequestPlan ForOwn(ChatRequest request)
    {
        var reasoning = request.Reasoning;
        var rawThinking = ExtensionField.Find(request.Extensions, "thinking") is not null;
        var thinking = rawThinking || reasoning?.Enabled is not { } enabled ? ThinkingMode.None
            : !enabled ? ThinkingMode.Disabled
            : reasoning.BudgetTokens is not null ? ThinkingMode.Budget
            : ThinkingMode.Adaptive;
        return new RequestPlan
        {
            MaxTokens = request.MaxOutputTokens,
            Thinking = thinking,
            BudgetTokens = reasoning?.BudgetTokens ?? 0,
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
        };
    }

    /// <summary>A request from another dialect (or built in code): adapted to what the model accepts.</summary>
    public static RequestPlan ForForeign(ChatRequest request, AnthropicModelInfo model, AnthropicWriteOptions options, bool hasClientTools,
        RequestAdjustments? adjustments = null)
    {
        var max = request.MaxOutputTokens ?? options.DefaultMaxTokens ?? model.MaxOutputTokens;
        var jsonTool = AnthropicJsonMode.IsUsedFor(request) ? options.JsonToolName : null;
        var forcedByClient = hasClientTools && request.ToolChoice?.Mode is ToolChoiceMode.Required or ToolChoiceMode.Named;

        var thinking = ThinkingMode.None;
        var budget = 0;
        string? effort = null;
        var wanted = WantsThinking(request.Reasoning);
        var reasoningField = RequestAdjustments.ReasoningField(request.SourceDialect);
        if (wanted is not null && jsonTool is not null && !forcedByClient && (model.SupportsThinking || !model.IsKnown))
        {
            // Forced, the JSON tool cannot go with thinking; unforced, the model may answer in plain text.
            throw WireReading.Fail(reasoningField, $"JSON output ({ResponseFormatName(request)}) cannot be combined with {reasoningField} on Anthropic models: " +
                $"send one of the two, or use a model of another provider");
        }
        // Anthropic refuses thinking with forced tool use, on models without thinking, and in a tool turn whose
        // assistant message does not start with its thinking block (clients of other APIs rarely send it back).
        if (wanted is { } reasoning && !forcedByClient && (model.SupportsThinking || !model.IsKnown) && !ToolTurnLacksThinking(request))
        {
            if (model.UsesAdaptiveThinking)
            {
                thinking = ThinkingMode.Adaptive;
                effort = AnthropicEffort(reasoning.Effort ?? (reasoning.BudgetTokens is { } b ? ReasoningEfforts.FromBudget(b) : null), model);
            }
            else
            {
                budget = Math.Max(MinBudget, reasoning.BudgetTokens
                    ?? ReasoningEfforts.ToBudget(reasoning.Effort ?? ReasoningEfforts.Medium)
                    ?? ReasoningEfforts.ToBudget(ReasoningEfforts.Medium)!.Value);
                if (max <= budget)
                {
                    // max_tokens counts the thinking and must exceed the budget: keep the client's cap (as
                    // OpenAI counts reasoning in it too) and give thinking three quarters of it.
                    budget = (int)(max * 3L / 4);
                    // The client's budget (or its effort's) did not fit under max_tokens: shrunk, or thinking left off.
                    adjustments?.Add(reasoningField);
                }
                thinking = budget >= MinBudget ? ThinkingMode.Budget : ThinkingMode.None;
            }
        }
        else if (wanted is not null)
        {
            adjustments?.Add(reasoningField);
        }

        var temperature = request.Temperature is { } t ? Math.Clamp(t, 0, 1) : (double?)null;
        if (temperature != request.Temperature) adjustments?.Add("temperature");
        var topP = request.TopP;
        var topK = request.TopK;
        if (thinking != ThinkingMode.None)
        {
            // With thinking, Anthropic takes only temperature 1, top_p of at least 0.95, and no top_k.
            temperature = Keep(temperature, temperature == 1, "temperature", adjustments);
            topP = Keep(topP, topP >= 0.95, "top_p", adjustments);
            topK = Keep(topK, false, "top_k", adjustments);
        }
        if (model.RejectsTemperatureWithTopP && temperature is not null && topP is not null)
        {
            // An Anthropic client gets the same refusal as a relayed request (the API itself refuses the pair). Clients
            // of other APIs, which take both (Gemini CLI sends temperature and topP on every request), keep temperature;
            // top_p is left out and named.
            if (request.SourceDialect == AnthropicMessagesDialect.Name)
            {
                throw WireReading.Fail("top_p", $"Claude {model.Family} {model.Major}.{model.Minor} takes temperature or top_p, not both: send only one of them");
            }
            topP = null;
            adjustments?.Add("top_p");
        }

        return new RequestPlan
        {
            MaxTokens = max,
            Thinking = thinking,
            BudgetTokens = budget,
            Effort = effort,
            Temperature = temperature,
            TopP = topP,
            TopK = topK,
            JsonTool = jsonTool,
        };
    }

    /// <summary>
    /// Whether the conversation ends with tool results whose assistant message starts with something other than a
    /// thinking block Anthropic can take back: with thinking on, the API refuses such a request ("a final assistant
    /// message must start with a thinking block"), so thinking is left off for this turn instead.
    /// </summary>
    private static bool ToolTurnLacksThinking(ChatRequest request)
    {
        var messages = request.Messages;
        var i = messages.Length - 1;
        while (i >= 0 && IsToolResults(messages[i])) i--;
        var endsWithResults = i < messages.Length - 1;
        if (!endsWithResults || i < 0 || messages[i].Role != ChatRole.Assistant) return false;
        foreach (var part in messages[i].Parts)
        {
            if (AnthropicContentWriter.IsWritable(part, own: false)) return part is not (ThinkingPart or RedactedThinkingPart);
        }
        return true;
    }

    private static bool IsToolResults(Message message) =>
        message.Role == ChatRole.Tool || (message.Role == ChatRole.User && message.Parts.Length > 0 && message.Parts.All(p => p is ToolResultPart));

    /// <summary><paramref name="value"/> when <paramref name="allowed"/>; otherwise null, and <paramref name="field"/> noted if it was set.</summary>
    private static T? Keep<T>(T? value, bool allowed, string field, RequestAdjustments? adjustments) where T : struct
    {
        if (allowed || value is null) return value;
        adjustments?.Add(field);
        return null;
    }

    private static string ResponseFormatName(ChatRequest request) =>
        request.ResponseFormat?.Kind == ResponseFormatKind.JsonSchema ? "json_schema" : "json_object";

    /// <summary>Anthropic's smallest thinking budget.</summary>
    public const int MinBudget = 1024;

    private static ReasoningOptions? WantsThinking(ReasoningOptions? reasoning)
    {
        if (reasoning is null || reasoning.Enabled == false || reasoning.BudgetTokens == 0)
        {
            return null;
        }
        if (reasoning.Enabled != true && reasoning.BudgetTokens is null && (reasoning.Effort is null || reasoning.Effort == ReasoningEfforts.None))
        {
            return null;
        }
        return reasoning;
    }

    /// <summary>An effort level in Anthropic's words (<c>low</c>, <c>medium</c>, <c>high</c>, <c>max</c>).</summary>
    private static string? AnthropicEffort(string? effort, AnthropicModelInfo model) => effort switch
    {
        ReasoningEfforts.Minimal or ReasoningEfforts.Low => "low",
        ReasoningEfforts.Medium => "medium",
        ReasoningEfforts.High => "high",
        ReasoningEfforts.XHigh or "max" => model.SupportsMaxEffort ? "max" : "high",
        _ => null,
    };
}
