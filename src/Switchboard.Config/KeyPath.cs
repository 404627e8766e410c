namespace Switchboard.Config;

/// <summary>Builds the dotted key paths used in error messages: <c>providers.openai.base_url</c>, <c>keys[2].key</c>.</summary>
internal static class KeyPath
{
    public static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
