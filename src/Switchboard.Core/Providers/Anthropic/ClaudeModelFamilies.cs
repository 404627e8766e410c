using System.Globalization;
using Switchboard.Config;

namespace Switchboard.Providers.Anthropic;

/// <summary>What the gateway knows of Claude model families by their upstream model id.</summary>
public static class ClaudeModelFamilies
{
    /// <summary>
    /// Whether the model takes mid-conversation <c>role: system</c> messages: Claude Opus 4.8 and later
    /// (<c>claude-opus-4-8</c>, its dated snapshots, <c>claude-opus-5…</c>). Every other id, Claude or not, is treated
    /// as refusing them: folding is harmless for a model that would have taken them, a refusal is not.
    /// </summary>
    public static bool TakesMidConversationSystem(string upstreamModel)
    {
        const string Opus = "claude-opus-";
        if (!upstreamModel.StartsWith(Opus, StringComparison.Ordinal)) return false;
        var parts = upstreamModel[Opus.Length..].Split('-');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)) return false;
        // A second number of one or two digits is the minor version; eight digits are a snapshot date (claude-opus-4-20250514).
        var minor = parts.Length > 1 && parts[1].Length <= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        return major > 4 || (major == 4 && minor >= 8);
    }

    /// <summary>Whether requests to this Anthropic deployment get their mid-conversation system messages folded.</summary>
    public static bool FoldsSystemMessages(DeploymentConfig deployment) => deployment.SystemMessages switch
    {
        SystemMessageHandling.Fold => true,
        SystemMessageHandling.Keep => false,
        _ => !TakesMidConversationSystem(deployment.Model),
    };
}
