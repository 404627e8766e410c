namespace Switchboard.Providers.OpenAI;

/// <summary>What the gateway must know of OpenAI's own model families, by the model id's prefix.</summary>
public static class OpenAIModelFamilies
{
    /// <summary>OpenAI's chat models without reasoning, which refuse <c>reasoning_effort</c> ("Unsupported parameter").</summary>
    private static readonly string[] NonReasoningPrefixes = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4-", "gpt-3.5", "gpt-5-chat"];

    /// <summary>
    /// Whether <paramref name="model"/> is one of OpenAI's non-reasoning chat models. Other ids (reasoning models,
    /// other vendors' models behind an OpenAI-compatible API) are assumed to take the parameter or ignore it.
    /// </summary>
    public static bool RefusesReasoningEffort(string model)
    {
        if (model == "gpt-4") return true;
        foreach (var prefix in NonReasoningPrefixes)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
