using System.Collections.Immutable;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;
using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Dialects;

/// <summary>
/// Every client dialect the gateway serves. The endpoints map the routes listed here, errors outside handlers take the
/// shape of the dialect that claims the path, and the key is looked for in the headers listed here. A new dialect is
/// its registration in its provider folder plus one line in <see cref="All"/>.
/// </summary>
public static class ClientDialects
{
    /// <summary>The dialects; the first is the default shape of errors on paths no dialect claims.</summary>
    public static ImmutableArray<ClientDialectRegistration> All { get; } =
    [
        OpenAIChatDialectRegistration.Registration,
        AnthropicMessagesDialectRegistration.Registration,
        ResponsesDialectRegistration.Registration,
        GeminiDialectRegistration.Registration,
    ];

    public static ClientDialectRegistration Default => All[0];

    /// <summary>Every dialect's key headers, in order (read on every request: an array, walked without allocating).</summary>
    public static KeyHeader[] KeyHeaders { get; } = [.. All.SelectMany(d => d.KeyHeaders)];

    /// <summary>Every dialect's route with its dialect, longest path first (so a path's longest known suffix is found first).</summary>
    public static ImmutableArray<(ClientRoute Route, ClientDialectRegistration Dialect)> Routes { get; } =
        [.. All.SelectMany(d => d.Routes.Select(r => (r, d))).OrderByDescending(x => x.Item1.Path.Length)];

    /// <summary>The dialect whose shape errors on <paramref name="path"/> take; null on <c>/admin</c> (the admin shape).</summary>
    public static ClientDialectRegistration? ForErrorsOn(string path)
    {
        if (path.StartsWith("/admin", StringComparison.OrdinalIgnoreCase)) return null;
        foreach (var dialect in All)
        {
            if (dialect.ErrorPathMarker is { } marker && path.Contains(marker, StringComparison.OrdinalIgnoreCase)) return dialect;
            foreach (var more in dialect.ErrorPathMarkers)
            {
                if (path.Contains(more, StringComparison.OrdinalIgnoreCase)) return dialect;
            }
        }
        return Default;
    }
}
