using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>
/// Checks a JSON body against the proto message tree the way Google's JSON transcoding does before the request
/// reaches the model: unknown names (<c>Invalid JSON payload received. Unknown name "foo" at 'generation_config':
/// Cannot find field.</c>), wrong value types, bad enum values and undecodable bytes. Every violation is collected,
/// as the API lists them all (joined with newlines, and again as BadRequest field violations).
/// </summary>
internal static class ProtoParser
{
    public static ApiError? Check(JsonElement root)
    {
        var violations = new List<(string? Field, string Description)>();
        Walk(root, ProtoSchema.Request, "", violations);
        return violations.Count == 0
            ? null
            : GeminiErrors.InvalidArgument(string.Join("\n", violations.Select(v => v.Description)), GeminiErrors.BadRequest(violations));
    }

    /// <summary>A Google field path: <c>contents[0].parts[1].function_call</c>.</summary>
    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static void Walk(JsonElement obj, PMessage message, string path, List<(string?, string)> violations)
    {
        foreach (var prop in obj.EnumerateObject())
        {
            var field = message.Find(prop.Name);
            if (field is null)
            {
                string where = path.Length == 0 ? "" : $" at '{path}'";
                violations.Add((path.Length == 0 ? null : path, $"Invalid JSON payload received. Unknown name \"{prop.Name}\"{where}: Cannot find field."));
                continue;
            }
            var value = prop.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue; // proto JSON: null is the default value
            }
            string at = Child(path, field.ProtoName);
            if (field.Map)
            {
                if (value.ValueKind != JsonValueKind.Object)
                {
                    violations.Add((at, $"Invalid value at '{at}' ({TypeName(field)}), {Show(value)}"));
                    continue;
                }
                int i = 0;
                foreach (var entry in value.EnumerateObject())
                {
                    Value(entry.Value, field, $"{at}[{i++}].value", violations);
                }
                continue;
            }
            if (field.Repeated)
            {
                if (value.ValueKind != JsonValueKind.Array)
                {
                    violations.Add((at, $"Invalid value at '{at}' ({TypeName(field)}), {Show(value)}"));
                    continue;
                }
                int i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Value(item, field, $"{at}[{i++}]", violations);
                }
                continue;
            }
            if (value.ValueKind == JsonValueKind.Array && field.Kind != PKind.Value)
            {
                string where = path.Length == 0 ? "" : $" at '{path}'";
                violations.Add((path.Length == 0 ? null : path,
                    $"Invalid JSON payload received. Unknown name \"{prop.Name}\"{where}: Proto field is not repeating, cannot start list."));
                continue;
            }
            Value(value, field, at, violations);
        }
    }

    private static void Value(JsonElement value, PField field, string at, List<(string?, string)> violations)
    {
        bool ok = field.Kind switch
        {
            PKind.String => value.ValueKind == JsonValueKind.String,
            PKind.Int32 => IsInteger(value, int.MinValue, int.MaxValue),
            PKind.Int64 => IsInteger(value, long.MinValue, long.MaxValue),
            PKind.Float or PKind.Double => value.ValueKind == JsonValueKind.Number
                || (value.ValueKind == JsonValueKind.String && (double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    || value.GetString() is "NaN" or "Infinity" or "-Infinity")),
            PKind.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            PKind.Enum => IsEnum(value, field.Enum!),
            PKind.Struct or PKind.Message => value.ValueKind == JsonValueKind.Object,
            PKind.Bytes => value.ValueKind == JsonValueKind.String,
            _ => true,
        };
        if (!ok)
        {
            violations.Add((at, $"Invalid value at '{at}' ({TypeName(field)}), {Show(value)}"));
            return;
        }
        if (field.Kind == PKind.Bytes && !IsBase64(value.GetString()!))
        {
            violations.Add((at, $"Invalid value at '{at}' (TYPE_BYTES), Base64 decoding failed for \"{value.GetString()}\""));
        }
        else if (field.Kind == PKind.Message)
        {
            Walk(value, field.Message!, at, violations);
        }
    }

    private static bool IsInteger(JsonElement value, long min, long max)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s) && s >= min && s <= max;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= min && n <= max;
    }

    /// <summary>An enum by name (case-insensitive: the API takes <c>object</c> for <c>OBJECT</c>) or by number.</summary>
    private static bool IsEnum(JsonElement value, PEnum type) => value.ValueKind switch
    {
        JsonValueKind.String => type.Values.Any(v => string.Equals(v, value.GetString(), StringComparison.OrdinalIgnoreCase)),
        JsonValueKind.Number => value.TryGetInt32(out int i) && i >= 0 && i < type.Values.Length,
        _ => false,
    };

    /// <summary>Standard or URL-safe base64, padded or not (the API's bytes decoder takes both alphabets).</summary>
    public static bool IsBase64(string s)
    {
        if (Base64.IsValid(s))
        {
            return true;
        }
        string standard = s.Replace('-', '+').Replace('_', '/');
        int pad = (4 - (standard.Length % 4)) % 4;
        return pad != 3 && Base64.IsValid(standard + new string('=', pad));
    }

    private static string TypeName(PField field) => field.Kind switch
    {
        PKind.String => "TYPE_STRING",
        PKind.Int32 => "TYPE_INT32",
        PKind.Int64 => "TYPE_INT64",
        PKind.Float => "TYPE_FLOAT",
        PKind.Double => "TYPE_DOUBLE",
        PKind.Bool => "TYPE_BOOL",
        PKind.Bytes => "TYPE_BYTES",
        PKind.Enum => field.Enum!.FullName,
        PKind.Struct => "type.googleapis.com/google.protobuf.Struct",
        PKind.Message => field.Message!.TypeUrl,
        _ => "type.googleapis.com/google.protobuf.Value",
    };

    private static string Show(JsonElement value) => value.ValueKind == JsonValueKind.String ? JsonSerializer.Serialize(value.GetString()) : value.GetRawText();
}
