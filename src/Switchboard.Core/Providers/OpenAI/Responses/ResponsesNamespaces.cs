using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Responses <c>namespace</c> tools for upstreams without them: each function or custom tool of a namespace is offered
/// as a function named <c>{namespace}__{name}</c> (the APIs take only letters, digits, <c>_</c> and <c>-</c> in a
/// name) that remembers its namespace in the extension <c>namespace</c>; the first also keeps the whole namespace tool
/// (<c>namespace_tool</c>) for the response's echo. Calls go back to the client split again. A joined name longer than
/// the upstreams take (64 characters: OpenAI's limit, and Gemini's) is shortened to a prefix and a hash of the whole,
/// and the tool keeps its own name in the extension <c>namespace_name</c>.
/// </summary>
public static class ResponsesNamespaces
{
    public const string Member = "namespace";
    public const string ToolMember = "namespace_tool";

    public const string NameMember = "namespace_name";

    /// <summary>The longest function name every upstream takes.</summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// <c>{namespace}__{name}</c>, or, when that is longer than <see cref="MaxNameLength"/>, its first 55 characters,
    /// <c>_</c> and 8 hex digits of its hash: the same tool always gets the same name (a later turn's call items find
    /// it), and two long names that share a prefix stay apart.
    /// </summary>
    public static string Join(string space, string name)
    {
        var joined = $"{space}__{name}";
        if (joined.Length <= MaxNameLength) return joined;
        var hash = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(joined));
        return $"{joined[..(MaxNameLength - 9)]}_{hash:x8}";
    }

    /// <summary>A tool of namespace <paramref name="space"/> as the function it is offered as.</summary>
    public static FunctionTool Flatten(FunctionTool tool, string space, JsonElement? whole)
    {
        var extensions = tool.Extensions.Add(new ExtensionField(Member, JsonElement.Parse(JsonSerializer.Serialize(space))))
            .Add(new ExtensionField(NameMember, JsonElement.Parse(JsonSerializer.Serialize(tool.Name))));
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
                return (space, OwnName(function) ?? name[(space.Length + 2)..]);
            }
        }
        return (null, name);
    }

    /// <summary>The name a flattened tool has in its namespace.</summary>
    private static string? OwnName(FunctionTool tool) =>
        ExtensionField.Find(tool.Extensions, NameMember) is { Value.ValueKind: JsonValueKind.String } own ? own.Value.GetString() : null;

    /// <summary>Whether <paramref name="tool"/> came from a namespace tool; <paramref name="whole"/>: that tool, on the
    /// first of its functions only (the echo writes it there and skips the others).</summary>
    public static bool IsFlattened(FunctionTool tool, out JsonElement? whole)
    {
        whole = ExtensionField.Find(tool.Extensions, ToolMember)?.Value;
        return Of(tool) is not null;
    }
}
