using System.Text;
using System.Text.Json;

namespace Switchboard.Translation.Json;

/// <summary>
/// Typed value reads over <see cref="Utf8JsonReader"/> with OpenAI-style errors. Each method expects the
/// reader on the value's first token and leaves it on the value's last token, like
/// <see cref="Utf8JsonReader.Skip"/>. JSON null counts as "absent" for every optional member, as the
/// OpenAI API treats it.
/// </summary>
internal static class WireReading
{
    public static WireFormatException Fail(string? param, string message, string code = ValidationError.InvalidValue) =>
        new(new ValidationError(param, message, code));

    public static WireFormatException Missing(string param) =>
        Fail(param, "is required", ValidationError.MissingRequiredParameter);

    public static WireFormatException WrongType(string param, string expected) =>
        Fail(param, $"must be {expected}", ValidationError.InvalidType);

    /// <summary>
    /// An image or document given by URL, checked: http(s) (and, where the dialect allows them, <c>data:</c> URLs)
    /// only. Any other scheme (<c>file:</c>, <c>ftp:</c>, <c>gopher:</c>, ...) would reach an upstream that fetches
    /// URLs itself (Gemini's <c>fileData</c>), or the gateway's own fetcher, so it is refused here, naming the field.
    /// </summary>
    public static string CheckMediaUrl(string url, string param, bool allowData)
    {
        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || (allowData && url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)))
        {
            return url;
        }
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon is > 0 and <= 32 ? $"'{url[..colon]}:'" : "none";
        throw Fail(param, $"must be an http or https URL{(allowData ? " or a data: URL" : "")}, got scheme {scheme}");
    }

    /// <summary>Joins a path and a member name. Paths are built only when an error is reported, so
    /// reads pass the parent path and the member separately.</summary>
    public static string Join(string path, string member) =>
        path.Length == 0 ? member : member.Length == 0 ? path : $"{path}.{member}";

    /// <summary>Moves from a property name to its value.</summary>
    public static void ReadValue(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw Fail(null, "request body is truncated", ValidationError.InvalidJson);
        }
    }

    /// <summary>Moves from the name of a member the reader does not use over its value.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        ReadValue(ref reader);
        reader.Skip();
    }

    /// <summary>
    /// Reads an optional string if the reader is on the property <paramref name="name"/>: moves to its value and reads
    /// it (null counts as absent) into <paramref name="value"/>. False leaves the reader on the name.
    /// </summary>
    public static bool TryReadString(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, string path, ref string? value)
    {
        if (!reader.ValueTextEquals(name))
        {
            return false;
        }
        ReadValue(ref reader);
        value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            // The member's name as text only for the error.
            _ => throw WrongType(Join(path, Encoding.UTF8.GetString(name)), "a string"),
        };
        return true;
    }

    public static string? ReadOptionalString(ref Utf8JsonReader reader, string path, string member) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw WrongType(Join(path, member), "a string"),
    };

    public static string ReadString(ref Utf8JsonReader reader, string path, string member) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw WrongType(Join(path, member), "a string");

    public static bool? ReadOptionalBool(ref Utf8JsonReader reader, string path, string member) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw WrongType(Join(path, member), "a boolean"),
    };

    public static int? ReadOptionalInt(ref Utf8JsonReader reader, string path, string member, int min = int.MinValue, int max = int.MaxValue)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
        {
            throw WrongType(Join(path, member), "an integer");
        }
        if (value < min || value > max)
        {
            throw OutOfRange(Join(path, member), value, min, max);
        }
        return value;
    }

    /// <summary>
    /// Reads a token count if the reader is on the property <paramref name="name"/>: moves to its value and reads it
    /// (an integer; null counts as absent) into <paramref name="count"/>. False leaves the reader on the name. For
    /// the usage objects of every API, which are flat lists of such counts.
    /// </summary>
    public static bool TryReadCount(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, string path, ref int? count)
    {
        if (!reader.ValueTextEquals(name))
        {
            return false;
        }
        ReadValue(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            count = null;
        }
        else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
        {
            count = value;
        }
        else
        {
            // The member's name as text only for the error.
            throw WrongType(Join(path, Encoding.UTF8.GetString(name)), "an integer");
        }
        return true;
    }

    public static long? ReadOptionalLong(ref Utf8JsonReader reader, string path, string member)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)
            ? value
            : throw WrongType(Join(path, member), "an integer");
    }

    public static double? ReadOptionalDouble(ref Utf8JsonReader reader, string path, string member, double min = double.MinValue, double max = double.MaxValue)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value))
        {
            throw WrongType(Join(path, member), "a number");
        }
        if (value < min || value > max)
        {
            throw OutOfRange(Join(path, member), value, min, max);
        }
        return value;
    }

    public static void ExpectObject(ref Utf8JsonReader reader, string path, string member)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(Join(path, member), "an object");
        }
    }

    /// <summary>Reads an object of string values (OpenAI <c>metadata</c>).</summary>
    public static Dictionary<string, string> ReadStringMap(ref Utf8JsonReader reader, string path, string member)
    {
        ExpectObject(ref reader, path, member);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            ReadValue(ref reader);
            map[key] = ReadString(ref reader, Join(path, member), key);
        }
        return map;
    }

    /// <summary>
    /// Reads a string that may be a base64 <c>data:</c> URL, splitting it without first materialising the
    /// whole URL (images run to megabytes). Returns the URL itself when it is not base64 data.
    /// </summary>
    public static DataUrl ReadDataUrlOrString(ref Utf8JsonReader reader, string path, string member)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw WrongType(Join(path, member), "a string");
        }
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            if (DataUrl.TrySplit(span, out var mediaType, out var payload))
            {
                return new DataUrl(null, Encoding.UTF8.GetString(mediaType), Encoding.UTF8.GetString(payload));
            }
            return new DataUrl(reader.GetString(), null, null);
        }
        var text = reader.GetString()!;
        return DataUrl.Parse(text);
    }

    private static WireFormatException OutOfRange(string param, double value, double min, double max)
    {
        var unboundedBelow = min <= int.MinValue;
        var unboundedAbove = max >= int.MaxValue;
        var rule = unboundedBelow ? $"must be at most {max}"
            : unboundedAbove ? $"must be at least {min}"
            : $"must be between {min} and {max}";
        return Fail(param, $"{rule}, got {value}");
    }
}
