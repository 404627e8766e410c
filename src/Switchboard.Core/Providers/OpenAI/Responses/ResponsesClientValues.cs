using System.Text.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>Typed reads of <see cref="JsonElement"/> values with OpenAI-style errors naming the parameter
/// (the element counterparts of <see cref="Translation.Json.WireReading"/>'s reader methods). JSON null is "absent".</summary>
internal static class ResponsesClientValues
{
    public static string? OptString(JsonElement value, string param) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => throw WrongType(param, "a string"),
    };

    public static string ReqString(JsonElement value, string param) =>
        OptString(value, param) ?? throw Missing(param);

    public static bool? OptBool(JsonElement value, string param) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw WrongType(param, "a boolean"),
    };

    public static int? OptInt(JsonElement value, string param, int min = int.MinValue, int max = int.MaxValue)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw WrongType(param, "an integer");
        }
        return number >= min && number <= max ? number : throw Fail(param, $"must be between {min} and {max}, got {number}");
    }

    public static double? OptDouble(JsonElement value, string param, double min, double max)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(param, "a number");
        }
        var number = value.GetDouble();
        return number >= min && number <= max ? number : throw Fail(param, $"must be between {min} and {max}, got {number}");
    }

    /// <summary>The member <paramref name="name"/> of an object, or null when absent or JSON null.</summary>
    public static JsonElement? Member(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? MemberString(JsonElement obj, string path, string name) =>
        Member(obj, name) is { } value ? OptString(value, Join(path, name)) : null;

    public static string RequiredMemberString(JsonElement obj, string path, string name) =>
        MemberString(obj, path, name) ?? throw Missing(Join(path, name));

    /// <summary>The objects of the array <paramref name="value"/>, each with its path (<c>param[i]</c>).</summary>
    public static IEnumerable<(JsonElement Item, string Path)> ObjectsOf(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(param, "an array");
        }
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"{param}[{i++}]";
            ExpectObject(item, path);
            yield return (item, path);
        }
    }

    public static void ExpectObject(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(param, "an object");
        }
    }
}
