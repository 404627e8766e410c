using Microsoft.Extensions.Primitives;

namespace Switchboard.WebConsole.Usage;

/// <summary>Links to the current page with some query parameters changed (the console's tabs are plain GET links).</summary>
public static class QueryLinks
{
    /// <summary>
    /// <paramref name="path"/> with the request's query, each of <paramref name="changes"/> set (or removed when null
    /// or empty); parameters the request did not have stay absent.
    /// </summary>
    public static string With(HttpRequest request, string path, params (string Name, string? Value)[] changes)
    {
        var query = new Dictionary<string, StringValues>(request.Query, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (string.IsNullOrEmpty(value)) query.Remove(name);
            else query[name] = value;
        }
        var pairs = query.Where(p => !StringValues.IsNullOrEmpty(p.Value))
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v)));
        return path + QueryString.Create(pairs).ToUriComponent();
    }
}
