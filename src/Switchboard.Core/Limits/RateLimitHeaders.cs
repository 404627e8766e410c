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
            Add(headers, "requests", limit, limit - used, end, nowMs);
        }
        if (keyTokens || teamTokens)
        {
            var useTeam = teamTokens && (!keyTokens || team!.Tpm!.Value - teamState.TokensUsed < key!.Tpm!.Value - keyState.TokensUsed);
            var (limit, used, end) = useTeam ? (team!.Tpm!.Value, teamState.TokensUsed, teamState.WindowEndMs) : (key!.Tpm!.Value, keyState.TokensUsed, keyState.WindowEndMs);
            Add(headers, "tokens", limit, limit - used, end, nowMs);
        }
        return headers;
    }

    private static void Add(List<KeyValuePair<string, string>> headers, string what, long limit, long remaining, long windowEndMs, long nowMs)
    {
        headers.Add(new("x-ratelimit-limit-" + what, limit.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("x-ratelimit-remaining-" + what, Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture)));
        // An untouched window (refused before anything was counted) resets a full window from now.
        var reset = windowEndMs == 0 ? LimitCounters.WindowMs : Math.Clamp(windowEndMs - nowMs, 0, LimitCounters.WindowMs);
        headers.Add(new("x-ratelimit-reset-" + what, GoDuration.Format(TimeSpan.FromMilliseconds(reset))));
    }
}
