using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Responses <c>namespace</c> tools for upstreams without them: each function or custom tool of a namespace is offered
/// as a function named <c>{namespace}__{name}</c> (the APIs take only letters, digits, <c>_</c> and <c>-</c> in a
/// name) that remembers its namespace in the extension <c>namespace</c>; the first also keeps the whole namespace tool
/// (<c>namespace_tool</c>) for the response's echo. Calls go back to the client split again.
/// </summary>
public static class ResponsesNamespaces
{
    public const string Member = "namespace";
    public const string ToolMember = "namespace_tool";

    public static string Join(string space, string name) => $"{space}__{name}";

    /// <summary>A tool of namespace <paramref name="space"/> as the function it is offered as.</summary>
    public static FunctionTool Flatten(FunctionTool tool, string space, JsonElement? whole)
    {
        var extensions = tool.Extensions.Add(new ExtensionField(Member, JsonElement.Parse(JsonSerializer.Serialize(space))));
        if (whole is { } raw)
        {
            extensions = extensions.Add(new ExtensionField(ToolMember, raw));
        }
        return tool with { Name = Join(space, tool.Name), Extensions = extensions };
    }

    /// <summary>The namespace of <paramref name="tool"/>, or null for a tool outside any.</summary>
    public static string? Of(FunctionTool tool) =>
        ExtensionField.Find(tool.Extensions, Member) is { Value.ValueKind: JsonValueKind.String } space ? space.Value.GetString() : null;

    /// <summary>A call's namespace and name as the client knows them (the namespace null outside any).</summary>
    public static (string? Space, string Name) Split(ChatRequest request, string name)
    {
        foreach (var tool in request.Tools)
        {
            if (tool is FunctionTool function && function.Name == name && Of(function) is { } space)
            {
                return (space, name[(space.Length + 2)..]);
            }
        }
        return (null, name);
    }

    /// <summary>Whether <paramref name="tool"/> came from a namespace tool; <paramref name="whole"/>: that tool, on the
    /// first of its functions only (the echo writes it there and skips the others).</summary>
    public static bool IsFlattened(FunctionTool tool, out JsonElement? whole)
    {
        whole = ExtensionField.Find(tool.Extensions, ToolMember)?.Value;
        return Of(tool) is not null;
    }
}
