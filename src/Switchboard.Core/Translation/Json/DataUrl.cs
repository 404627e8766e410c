using System.Text;

namespace Switchboard.Translation.Json;

/// <summary>
/// A string that is either a plain URL (<see cref="Url"/>) or a base64 <c>data:</c> URL split into
/// <see cref="MediaType"/> and <see cref="Data"/>. Non-base64 data URLs stay whole in <see cref="Url"/>.
/// </summary>
internal readonly record struct DataUrl(string? Url, string? MediaType, string? Data)
{
    public static DataUrl Parse(string value)
    {
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = value.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0)
            {
                var header = value.AsSpan(5, comma - 5);
                if (header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
                {
                    return new DataUrl(null, header[..^7].ToString(), value[(comma + 1)..]);
                }
            }
        }
        return new DataUrl(value, null, null);
    }

    public static bool TrySplit(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> mediaType, out ReadOnlySpan<byte> payload)
    {
        mediaType = default;
        payload = default;
        if (value.Length < 5 || !Ascii.EqualsIgnoreCase(value[..5], "data:"u8))
        {
            return false;
        }
        var comma = value.IndexOf((byte)',');
        if (comma < 0)
        {
            return false;
        }
        var header = value[5..comma];
        if (header.Length < 7 || !Ascii.EqualsIgnoreCase(header[^7..], ";base64"u8))
        {
            return false;
        }
        mediaType = header[..^7];
        payload = value[(comma + 1)..];
        return true;
    }
}
