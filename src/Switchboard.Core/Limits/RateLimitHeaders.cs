using System.Globalization;
using Switchboard.Auth;

namespace Switchboard.Limits;

/// <summary>
/// OpenAI's <c>x-ratelimit-*</c> headers: limit, remaining and time to reset, for requests and for tokens. With both a
/// key and a team limit, each pair shows the one with less left (the one the client will hit first).
/// </summary>
internal static class RateLimitHeaders
{
    public static IReadOnlyList<KeyValuePair<string, string>> Build(LimitSettings? key, in CounterSnapshot keyState, LimitSettings? team, in CounterSnapshot teamState, long nowMs)
    {
        var keyRequests = key?.Rpm is not null;
        var teamRequests = team?.Rpm is not null;
        var keyTokens = key?.Tpm is not null;
        var teamTokens = team?.Tpm is not null;
        if (!keyRequests && !teamRequests && !keyTokens && !teamTokens) return [];

        var headers = new List<KeyValuePair<string, string>>(6);
        if (keyRequests || teamRequests)
        {
            var useTeam = teamRequests && (!keyRequests || team!.Rpm!.Value - teamState.RequestsUsed < key!.Rpm!.Value - keyState.RequestsUsed);
            var (limit, used, end) = useTeam ? (team!.Rpm!.Value, teamState.RequestsUsed, teamState.WindowEndMs) : (key!.Rpm!.Value, keyState.RequestsUsed, keyState.WindowEndMs);
            Add(headers, RequestNames, limit, limit - used, end, nowMs);
        }
        if (keyTokens || teamTokens)
        {
            var useTeam = teamTokens && (!keyTokens || team!.Tpm!.Value - teamState.TokensUsed < key!.Tpm!.Value - keyState.TokensUsed);
            var (limit, used, end) = useTeam ? (team!.Tpm!.Value, teamState.TokensUsed, teamState.WindowEndMs) : (key!.Tpm!.Value, keyState.TokensUsed, keyState.WindowEndMs);
            Add(headers, TokenNames, limit, limit - used, end, nowMs);
        }
        return headers;
    }

    // The header names as constants: built by concatenation they were six strings per limited request.
    private static readonly string[] RequestNames = ["x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"];
    private static readonly string[] TokenNames = ["x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"];

    private static void Add(List<KeyValuePair<string, string>> headers, string[] names, long limit, long remaining, long windowEndMs, long nowMs)
    {
        headers.Add(new(names[0], limit.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new(names[1], Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture)));
        // An untouched window (refused before anything was counted) resets a full window from now.
        var reset = windowEndMs == 0 ? LimitCounters.WindowMs : Math.Clamp(windowEndMs - nowMs, 0, LimitCounters.WindowMs);
        headers.Add(new(names[2], GoDuration.Format(TimeSpan.FromMilliseconds(reset))));
    }
}
