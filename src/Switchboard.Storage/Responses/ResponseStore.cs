using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Providers.OpenAI.Responses.Stored;

namespace Switchboard.Storage.Responses;

/// <summary>
/// The gateway's <see cref="IResponseStore"/>: <see cref="Save"/> only queues (a bounded queue; when it is full the
/// response is dropped with a warning, a request never waits); one background loop writes what has queued up. A queued
/// response is read from memory until it is written, so a client can continue or fetch it at once. A second loop
/// deletes expired rows (<see cref="PruneAsync"/>) in small batches.
/// </summary>
public sealed partial class ResponseStore : IResponseStore, IHostedService, IAsyncDisposable
{
    /// <summary>Responses waiting to be written before new ones are dropped.</summary>
    public const int QueueLimit = 4_096;

    /// <summary>Rows written in one transaction, at most.</summary>
    private const int WriteBatch = 256;

    /// <summary>
    /// How long the writer lets responses gather after the first one arrives (unless a stop asks sooner): one
    /// transaction per batch instead of one per request, as the ledger's writer does.
    /// </summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>How often expired rows are deleted.</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan FirstPrune = TimeSpan.FromSeconds(30);

    /// <summary>Rows one prune statement deletes: small, so it never holds the database's write lock for long.</summary>
    public const int PruneBatch = 500;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private const int MaxWriteAttempts = 6;

    private readonly ResponseRepository _repository;
    private readonly TimeProvider _time;
    private readonly ILogger<ResponseStore> _logger;
    private readonly Channel<StoredResponse> _queue = Channel.CreateBounded<StoredResponse>(new BoundedChannelOptions(QueueLimit)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once and the response is dropped
    });
    // Queued, not yet written: what reads see first. A delete removes the entry, which the writer then honours.
    private readonly ConcurrentDictionary<string, StoredResponse> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _writer;
    private Task? _pruner;
    private long _stored;
    private long _dropped;
    private volatile bool _dropping;
    private volatile bool _stopping;

    public ResponseStore(ResponseRepository repository, TimeProvider time, ILogger<ResponseStore> logger)
    {
        _repository = repository;
        _time = time;
        _logger = logger;
    }

    /// <summary>Responses written to the database.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Responses dropped (queue full, or the database refused them for too long).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Responses queued and not yet written.</summary>
    public int Pending => _pending.Count;

    public void Save(StoredResponse response)
    {
        _pending[response.Id] = response;
        if (_queue.Writer.TryWrite(response))
        {
            _dropping = false;
            return;
        }
        _pending.TryRemove(new KeyValuePair<string, StoredResponse>(response.Id, response));
        Interlocked.Increment(ref _dropped);
        // One warning per burst of drops, not one per request.
        if (!_dropping)
        {
            _dropping = true;
            LogQueueFull(_logger, QueueLimit);
        }
    }

    public async ValueTask<StoredResponse?> FindAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_pending.TryGetValue(id, out var queued)) return Visible(queued, owner, now) ? queued : null;
        return await _repository.FindAsync(id, owner, now, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<StoredResponse>> FindChainAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Queued turns are the newest (the queue is written in order), so the chain starts in memory and ends in the database.
        var chain = new List<StoredResponse>();
        string? next = id;
        while (next is not null && _pending.TryGetValue(next, out var queued) && chain.Count < ResponseRepository.MaxChainLength)
        {
            if (!Visible(queued, owner, now)) return chain;
            chain.Add(queued);
            next = queued.PreviousResponseId;
        }
        if (next is not null && chain.Count < ResponseRepository.MaxChainLength)
        {
            chain.AddRange(await _repository.FindChainAsync(next, owner, now, cancellationToken).ConfigureAwait(false));
        }
        return chain;
    }

    public async ValueTask<bool> DeleteAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var removed = _pending.TryGetValue(id, out var queued) && Visible(queued, owner, now)
            && _pending.TryRemove(new KeyValuePair<string, StoredResponse>(id, queued));
        var deleted = await _repository.DeleteAsync(id, owner, now, cancellationToken).ConfigureAwait(false);
        return removed || deleted;
    }

    /// <summary>Deletes every expired row, a batch at a time with a pause between (so requests' writes get their turn); returns how many.</summary>
    public async Task<long> PruneAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        while (true)
        {
            var deleted = await _repository.PruneAsync(_time.GetUtcNow(), PruneBatch, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < PruneBatch) return total;
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Visible(StoredResponse response, string owner, DateTimeOffset now) =>
        string.Equals(response.Owner, owner, StringComparison.Ordinal) && response.ExpiresAt > now;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A dedicated thread, as the ledger's writer has: a batch is milliseconds of synchronous SQLite work, and a pool
        // worker held that long is a request thread taken away on a small machine (a latency spike for its requests).
        var stop = _stop.Token;
        _writer = Task.Factory.StartNew(() => WriteLoop(stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _pruner = Task.Run(() => PruneLoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes what is still queued (until <paramref name="cancellationToken"/> fires; a failed write is not retried
    /// now, so a database that is down does not hold the stop up), then stops pruning.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _stopRequested.TrySetResult();
        _queue.Writer.TryComplete();
        try
        {
            if (_writer is not null) await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's stop timeout: what is still queued is lost (stored responses are a convenience, not a record).
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _writer, _pruner })
        {
            try { if (loop is not null) await loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is { IsCompleted: false }) await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }
}
