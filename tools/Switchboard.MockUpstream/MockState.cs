using System.Collections.Concurrent;
using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>Everything one mock instance remembers: options, fixture folder, request log, counters.</summary>
internal sealed class MockState(MockUpstreamOptions options, string? fixturesDir)
{
    private const int PromptCacheCapacity = 10_000;

    private readonly ConcurrentDictionary<string, int> _failCounters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _promptCache = new(StringComparer.Ordinal);
    private long _requests;
    private long _streamsStarted;
    private long _streamsCompleted;
    private long _streamsAbortedByClient;

    public MockUpstreamOptions Options { get; } = options;

    /// <summary>Resolved fixtures root (contains openai/ ...), or null when none was found.</summary>
    public string? FixturesDir { get; } = fixturesDir;

    public RequestLog Log { get; } = new();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);

    /// <summary>The gate <c>hold=name</c> waits on; opened once by <see cref="Release"/>.</summary>
    public Task Gate(string name) => _gates.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Release(string name) => _gates.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public void OnRequest() => Interlocked.Increment(ref _requests);
    public void OnStreamStarted() => Interlocked.Increment(ref _streamsStarted);
    public void OnStreamCompleted() => Interlocked.Increment(ref _streamsCompleted);
    public void OnStreamAbortedByClient() => Interlocked.Increment(ref _streamsAbortedByClient);

    /// <summary>1 for the first request with these knobs, 2 for the second, ... (fail_first compares against it).</summary>
    public int NextFailCount(string knobKey) => _failCounters.AddOrUpdate(knobKey, 1, static (_, n) => n + 1);

    /// <summary>
    /// Anthropic prompt caching: records a cached prefix (by hash) and says whether an earlier request already
    /// wrote it, i.e. whether this request reads it from the cache. Bounded: a long benchmark just starts over.
    /// </summary>
    public bool RememberPromptPrefix(string key)
    {
        if (_promptCache.Count >= PromptCacheCapacity)
        {
            _promptCache.Clear();
        }
        return !_promptCache.TryAdd(key, 0);
    }

    public void Reset()
    {
        Log.Clear();
        _failCounters.Clear();
        _promptCache.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _streamsStarted, 0);
        Interlocked.Exchange(ref _streamsCompleted, 0);
        Interlocked.Exchange(ref _streamsAbortedByClient, 0);
    }

    public void WriteStats(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("requests"u8, Interlocked.Read(ref _requests));
        w.WriteNumber("streams_started"u8, Interlocked.Read(ref _streamsStarted));
        w.WriteNumber("streams_completed"u8, Interlocked.Read(ref _streamsCompleted));
        w.WriteNumber("streams_aborted_by_client"u8, Interlocked.Read(ref _streamsAbortedByClient));
        w.WriteEndObject();
    }
}
