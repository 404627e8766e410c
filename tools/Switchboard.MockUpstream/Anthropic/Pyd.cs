using System.Text.Json;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary>
/// The API's request validation messages, which come from pydantic: <c>path: Field required</c>,
/// <c>path: Extra inputs are not permitted</c>, <c>path: Input should be …</c>. Paths are dotted, list indexes
/// are plain numbers and a tagged union adds its tag (<c>messages.0.content.1.image.source.base64.data</c>).
/// </summary>
internal static class Pyd
{
    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static ApiError Required(string path) => AnthropicErrors.Invalid($"{path}: Field required");

    public static ApiError Extra(string path) => AnthropicErrors.Invalid($"{path}: Extra inputs are not permitted");

    public static ApiError Should(string path, string what) => AnthropicErrors.Invalid($"{path}: Input should be {what}");

    public static ApiError Literal(string path, IReadOnlyList<string> values) => Should(path, Choices(values));

    public static ApiError Tag(string path, string tag, IReadOnlyList<string> expected) => AnthropicErrors.Invalid(
        $"{path}: Input tag '{tag}' found using 'type' does not match any of the expected tags: {string.Join(", ", expected.Select(e => $"'{e}'"))}");

    public static ApiError NoTag(string path) => AnthropicErrors.Invalid($"{path}: Unable to extract tag using discriminator 'type'");

    /// <summary>'a', 'b' or 'c' (pydantic's literal list).</summary>
    public static string Choices(IReadOnlyList<string> values) => values.Count == 1
        ? $"'{values[0]}'"
        : string.Join(", ", values.Take(values.Count - 1).Select(v => $"'{v}'")) + $" or '{values[^1]}'";

    /// <summary>The first property not in <paramref name="allowed"/> as an extra-input error.</summary>
    public static ApiError? Keys(JsonElement obj, string path, IReadOnlyCollection<string> allowed)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (!allowed.Contains(p.Name))
            {
                return Extra(Join(path, p.Name));
            }
        }
        return null;
    }

    public static ApiError? Object(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object ? null : Should(path, "a valid dictionary");

    public static ApiError? List(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Array ? null : Should(path, "a valid list");

    /// <summary>A required string member.</summary>
    public static ApiError? String(JsonElement obj, string name, string path, out string value)
    {
        value = "";
        if (!JsonShape.TryGetNonNull(obj, name, out var e))
        {
            return Required(Join(path, name));
        }
        if (e.ValueKind != JsonValueKind.String)
        {
            return Should(Join(path, name), "a valid string");
        }
        value = e.GetString()!;
        return null;
    }

    /// <summary>An optional string member (absent or null is fine).</summary>
    public static ApiError? OptionalString(JsonElement obj, string name, string path) =>
        JsonShape.TryGetNonNull(obj, name, out var e) && e.ValueKind != JsonValueKind.String ? Should(Join(path, name), "a valid string") : null;

    public static ApiError? OptionalBool(JsonElement obj, string name, string path) =>
        JsonShape.TryGetNonNull(obj, name, out var e) && e.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            ? Should(Join(path, name), "a valid boolean")
            : null;

    /// <summary>An integer (an integral decimal such as 1024.0 passes, like pydantic's lax mode).</summary>
    public static bool TryInt(JsonElement e, out long value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number)
        {
            return false;
        }
        if (e.TryGetInt64(out value))
        {
            return true;
        }
        double d = e.GetDouble();
        if (Math.Floor(d) == d && Math.Abs(d) < 9e15)
        {
            value = (long)d;
            return true;
        }
        return false;
    }

    /// <summary>A number within [min, max] (either bound optional).</summary>
    public static ApiError? Number(JsonElement e, string path, double? min, double? max, out double value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number)
        {
            return Should(path, "a valid number");
        }
        value = e.GetDouble();
        if (min is double lo && value < lo)
        {
            return Should(path, $"greater than or equal to {Format(lo)}");
        }
        if (max is double hi && value > hi)
        {
            return Should(path, $"less than or equal to {Format(hi)}");
        }
        return null;
    }

    public static ApiError? Integer(JsonElement e, string path, long? min, out long value)
    {
        if (!TryInt(e, out value))
        {
            return Should(path, "a valid integer");
        }
        return min is long lo && value < lo ? Should(path, $"greater than or equal to {lo}") : null;
    }

    private static string Format(double d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
