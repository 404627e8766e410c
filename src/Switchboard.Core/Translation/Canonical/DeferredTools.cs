using System.Collections.Immutable;
using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// Anthropic's deferred tools (<c>defer_loading: true</c>, as Claude Code marks its tool-search placeholders): the
/// model does not see them until a tool search loads them. Providers without tool search would offer them as ordinary
/// functions, so writers for those leave out every deferred tool the conversation has not called yet.
/// </summary>
public static class DeferredTools
{
    /// <summary>Whether the tool's wire definition said <c>defer_loading: true</c>.</summary>
    public static bool IsDeferred(ToolDefinition tool)
    {
        foreach (var field in tool.Extensions)
        {
            if (field.Name == "defer_loading" && field.Value.ValueKind == JsonValueKind.True)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The request without deferred tools the conversation never called; the same instance when there are none.</summary>
    public static ChatRequest WithoutUncalled(ChatRequest request)
    {
        var any = false;
        foreach (var tool in request.Tools)
        {
            any |= IsDeferred(tool);
        }
        if (!any)
        {
            return request;
        }
        var called = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in request.Messages)
        {
            foreach (var part in message.Parts)
            {
                if (part is ToolCallPart call)
                {
                    called.Add(call.Name);
                }
            }
        }
        var kept = ImmutableArray.CreateBuilder<ToolDefinition>(request.Tools.Length);
        foreach (var tool in request.Tools)
        {
            if (!IsDeferred(tool) || (tool is FunctionTool function && called.Contains(function.Name)))
            {
                kept.Add(tool);
            }
        }
        return request with { Tools = kept.ToImmutable() };
    }
}
