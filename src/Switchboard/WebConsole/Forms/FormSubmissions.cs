using System.Collections.Concurrent;

namespace Switchboard.WebConsole.Forms;

/// <summary>
/// One-time tokens for forms whose POST must not run twice (creating a key): the form carries a fresh token, the POST
/// claims it, and a second POST with the same token (a browser refresh of the answer, a double click) finds it taken
/// and is told what the first one did instead of doing it again. In memory: a refresh goes back to the process that
/// rendered the form, and an hour covers it.
/// </summary>
public sealed class FormSubmissions(TimeProvider time)
{
    private const int MaxRemembered = 10_000;
    private static readonly TimeSpan Remembered = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Claim> _claims = new(StringComparer.Ordinal);

    /// <summary>A new token for a form.</summary>
    public static string NewToken() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Claims <paramref name="token"/> for one POST. False when it was claimed before: <paramref name="outcome"/> is
    /// then what that POST recorded (null while it is still running or if it failed without recording).
    /// </summary>
    public bool TryClaim(string token, out string? outcome)
    {
        Prune();
        var claim = new Claim(time.GetUtcNow());
        if (_claims.TryAdd(token, claim))
        {
            outcome = null;
            return true;
        }
        outcome = _claims.TryGetValue(token, out var earlier) ? earlier.Outcome : null;
        return false;
    }

    /// <summary>What the POST that claimed <paramref name="token"/> did (for example the created key's id).</summary>
    public void Record(string token, string outcome)
    {
        if (_claims.TryGetValue(token, out var claim)) claim.Outcome = outcome;
    }

    /// <summary>Gives the token back (the POST changed nothing: invalid fields, database down), so the form can be sent again.</summary>
    public void Release(string token) => _claims.TryRemove(token, out _);

    private void Prune()
    {
        if (_claims.Count < MaxRemembered / 2) return;
        var cutoff = time.GetUtcNow() - Remembered;
        foreach (var (token, claim) in _claims)
        {
            if (claim.At < cutoff || _claims.Count >= MaxRemembered) _claims.TryRemove(token, out _);
        }
    }

    private sealed class Claim(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;
        public volatile string? Outcome;
    }
}
