using Switchboard.Translation.Canonical;

namespace Switchboard.Pipeline;

/// <summary>
/// A rough input-token count for upstreams that offer no counting endpoint. Written by hand because no tokenizer
/// package is available here (Microsoft.ML.Tokenizers is absent): about four characters per token for text and JSON,
/// a fixed cost per image and per message, the common rule of thumb; answers say it is an estimate.
/// </summary>
public static class TokenEstimator
{
    private const int PerMessage = 3;
    private const int PerImage = 85;

    /// <summary>
    /// The cheapest upper-leaning estimate, from the raw body's size alone (JSON syntax counts as text): used at
    /// admission, before the body is parsed, and settled later against the upstream's reported usage.
    /// </summary>
    public static long EstimateFromBytes(int bodyBytes) => (bodyBytes + 3L) / 4;

    public static int Estimate(ChatRequest request)
    {
        long chars = 0, fixedCost = 0;
        foreach (var message in request.Messages)
        {
            fixedCost += PerMessage;
            foreach (var part in message.Parts) Count(part, ref chars, ref fixedCost);
        }
        foreach (var tool in request.Tools)
        {
            if (tool is FunctionTool function)
            {
                chars += function.Name.Length + (function.Description?.Length ?? 0) + (function.Parameters?.GetRawText().Length ?? 0);
            }
        }
        return (int)Math.Min(int.MaxValue, fixedCost + (chars + 3) / 4);
    }

    private static void Count(ContentPart part, ref long chars, ref long fixedCost)
    {
        switch (part)
        {
            case TextPart text: chars += text.Text.Length; break;
            case ThinkingPart thinking: chars += thinking.Text.Length; break;
            case ToolCallPart call: chars += call.Name.Length + call.Arguments.Length; break;
            case ToolResultPart result:
                foreach (var inner in result.Content) Count(inner, ref chars, ref fixedCost);
                break;
            case ImagePart: fixedCost += PerImage; break;
        }
    }
}
