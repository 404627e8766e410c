using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// A content block with no neutral meaning, kept raw in the form of the <see cref="Dialect"/> it came
/// from: Anthropic server-tool blocks (<c>server_tool_use</c>, <c>web_search_tool_result</c>,
/// <c>mcp_tool_use</c>, ...), <c>search_result</c>, <c>compaction</c>, images by Anthropic file id.
/// Writers for that dialect write <see cref="Raw"/> back in place; writers for other dialects leave it out
/// (as they do with another provider's <see cref="ProviderTool"/>).
/// </summary>
public sealed record ProviderPart(string Dialect, string Type, JsonElement Raw) : ContentPart;
