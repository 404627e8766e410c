using Microsoft.AspNetCore.Http;
using Switchboard.Translation.Canonical;

namespace Switchboard.Pipeline;

/// <summary>
/// Hosted tools (a provider's own built-in tools, kept raw as a <see cref="ProviderTool"/>: the Responses API's
/// <c>web_search</c>, <c>file_search</c>, <c>mcp</c>…; Anthropic's server tools; Gemini's
/// <c>googleSearch</c>) can run only on an upstream of the wire they came from. For any other upstream they are dropped,
/// not refused (Codex sends <c>web_search</c> with every request and must keep working), and the client is told which
/// in the <see cref="Header"/> response header. When no tool is left, <c>tool_choice</c> and
/// <c>parallel_tool_calls</c> go too: the APIs refuse them without tools.
/// </summary>
public static class HostedTools
{
    /// <summary>Names the tool types dropped for the upstream that answered, comma-separated.</summary>
    public const string Header = "x-switchboard-dropped-tools";

    /// <summary>The request as the upstream of <paramref name="wire"/> gets it; <paramref name="dropped"/>: the
    /// dropped tools' types, or null when nothing was dropped (then the request itself is returned).</summary>
    public static ChatRequest ForWire(ChatRequest request, string wire, out string? dropped)
    {
        dropped = null;
        List<string>? types = null;
        foreach (var tool in request.Tools)
        {
            // A ProviderTool's dialect is named as its wire (Wires.X == XDialect.Name).
            if (tool is ProviderTool hosted && hosted.Dialect != wire)
            {
                types ??= [];
                if (!types.Contains(hosted.Type)) types.Add(hosted.Type);
            }
        }
        if (types is null) return request;
        dropped = string.Join(", ", types);
        var kept = request.Tools.RemoveAll(tool => tool is ProviderTool hosted && hosted.Dialect != wire);
        return kept.IsEmpty
            ? request with { Tools = kept, ToolChoice = null, ParallelToolCalls = null }
            : request with { Tools = kept };
    }

    /// <summary>Sets the header when this attempt left tools out (an earlier attempt's is removed by the route loop).</summary>
    public static void Report(HttpContext context, string? dropped)
    {
        if (dropped is not null) context.Response.Headers[Header] = dropped;
    }
}
