using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Telemetry;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// The usage ledger's sink: <see cref="Record"/> only queues (never waits for the database); one background loop
/// writes what has queued up in batches (group commit, at most <see cref="LedgerRepository.MaxBatch"/> rows a
/// statement, idempotent by request id).
/// <para>
/// Nothing is lost: while the database is unreachable, rows stay queued (up to <see cref="MemoryLimit"/>) and
/// further rows are appended to a spill file (<c>ledger-spill.jsonl</c> beside the data) that is written to the
/// database once it is back. A graceful stop writes everything still queued; if the database is down at that
/// moment, the rest goes to the spill file, which the next start loads.
/// </para>
/// <para>
/// No row can stop the ledger: when the database refuses a batch because of its data (not its availability), the
/// batch is halved until the refused rows are found; they go to the quarantine file (<see cref="LedgerQuarantine"/>,
/// logged with their request id) and the rest is written. Rows read back from the spill file get the same treatment.
/// </para>
/// </summary>
public sealed partial class LedgerWriter : IUsageSink, IHostedService, IAsyncDisposable
{
    /// <summary>Rows kept in memory before spilling to disk.</summary>
    public const int MemoryLimit = 100_000;

    /// <summary>
    /// How long the writer lets rows gather after the first one arrives (unless a flush or stop asks sooner): one
    /// transaction per batch instead of one per request. Writing each row at once cost a transaction per request and
    /// tripled the gateway's added latency at concurrency 1 (bench, 2 cores).
    /// </summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly LedgerRepository _repository;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Channel<UsageRecord> _queue;
    private readonly string _spillPath;
    private readonly LedgerQuarantine _quarantine;
    private readonly Lock _spillGate = new();
    private readonly CancellationTokenSource _abort = new();
    // Completed to cut a wait short (a flush or a stop); replaced by a fresh one once observed. A semaphore here left one
    // pending waiter behind per idle wake-up.
    private TaskCompletionSource _wake = NewWake();
    private Task? _loop;
    private long _spillReadOffset;
    private long _accepted;
    private long _stored;
    private long _spilledTotal;
    private long _quarantined;
    private volatile bool _healthy = true;
    private volatile bool _stopping;

    /// <param name="repository">Where rows go.</param>
    /// <param name="spillDirectory">Directory for the spill file (the data directory).</param>
    /// <param name="logger">Logs outages and recoveries (never row contents).</param>
    public LedgerWriter(LedgerRepository repository, string spillDirectory, ILogger<LedgerWriter> logger)
    {
        _repository = repository;
        _logger = logger;
        Directory.CreateDirectory(spillDirectory);
        _spillPath = Path.Combine(spillDirectory, "ledger-spill.jsonl");
        _quarantine = new LedgerQuarantine(spillDirectory);
        _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(MemoryLimit)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails fast and the row is spilled instead
        });
        if (File.Exists(_spillPath))
        {
            // Rows a previous run could not write: count them so a flush waits for them too.
            _accepted += CountLines(_spillPath);
        }
    }

    /// <summary>False while the last write attempt failed (rows are being buffered).</summary>
    public bool IsHealthy => _healthy;

    /// <summary>Rows accepted (recorded, plus rows left in the spill file by a previous run).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Rows written to the database.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Rows that went through the spill file in this process.</summary>
    public long Spilled => Interlocked.Read(ref _spilledTotal);

    /// <summary>The spill file's path (exists only while it holds rows).</summary>
    public string SpillPath => _spillPath;

    /// <summary>Rows (or unreadable spill-file lines) the database refused, set aside in <see cref="QuarantinePath"/>.</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>The quarantine file's path (exists once a row was quarantined).</summary>
    public string QuarantinePath => _quarantine.Path;

    /// <summary>Rows accepted but neither written nor quarantined yet.</summary>
    public long Pending => Math.Max(0, Accepted - Stored - Quarantined);

    /// <summary>Queues a finished request's row. O(1), no I/O unless 100 000 rows are already waiting.</summary>
    public void Record(UsageRecord record)
    {
        Interlocked.Increment(ref _accepted);
        if (!_queue.Writer.TryWrite(record))
        {
            Spill([record]);
        }
    }

    /// <summary>
    /// Waits until every row accepted before the call is in the database (admin reads call this first, so they see
    /// their own requests). Returns false on timeout (e.g. the database is down).
    /// </summary>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var target = Accepted;
        var deadline = DateTime.UtcNow + timeout;
        while (Stored + Quarantined < target)
        {
            if (DateTime.UtcNow >= deadline) return false;
            Wake();
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A dedicated thread, not a thread-pool worker: a batch is a few milliseconds of synchronous SQLite work, and on a
        // small machine a pool worker held that long is a request thread taken away (its requests wait for the burst, a
        // p99 spike); the OS scheduler time-slices a separate thread against the request threads instead.
        var abort = _abort.Token;
        _loop = Task.Factory.StartNew(() => Run(abort), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <summary>Writes everything still queued; if that cannot finish before <paramref name="cancellationToken"/>, spills the rest to disk.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        Wake();
        if (_loop is null) return;
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        var spillLeft = File.Exists(_spillPath);
        LogStopped(_logger, Stored, Spilled, spillLeft);
    }

    /// <summary>The writer loop. It blocks its own thread on every wait (never a pool thread's), see <see cref="StartAsync"/>.</summary>
    private void Run(CancellationToken abort)
    {
        Thread.CurrentThread.Name = "ledger-writer";
        var batch = new List<UsageRecord>(LedgerRepository.MaxBatch);
        var batchFromSpill = 0L; // > 0: the batch came from the spill file, up to this offset
        var backoff = TimeSpan.FromMilliseconds(100);
        try
        {
            while (true)
            {
                if (batch.Count == 0)
                {
                    while (batch.Count < LedgerRepository.MaxBatch && _queue.Reader.TryRead(out var row)) batch.Add(row);
                    batchFromSpill = 0;
                    if (batch.Count == 0) batchFromSpill = ReadSpill(batch);
                }
                if (batch.Count == 0)
                {
                    if (_queue.Reader.Completion.IsCompleted) break;
                    // Idle: wait for a row (or a flush request) without polling, then let a batch gather.
                    var wake = TakeWake();
                    Task.WhenAny(_queue.Reader.WaitToReadAsync(abort).AsTask(), wake).GetAwaiter().GetResult();
                    abort.ThrowIfCancellationRequested();
                    if (!wake.IsCompleted && !_stopping)
                    {
                        Task.WhenAny(Task.Delay(BatchWindow, abort), wake).GetAwaiter().GetResult();
                        abort.ThrowIfCancellationRequested();
                    }
                    continue;
                }
                var writeStarted = Stopwatch.GetTimestamp();
                try
                {
                    Write(batch, abort); // SQLite: runs inline on this thread
                    LedgerMetrics.BatchWritten(writeStarted, ok: true);
                    Interlocked.Add(ref _stored, batch.Count);
                    if (batchFromSpill > 0) CommitSpillRead(batchFromSpill);
                    batch.Clear();
                    backoff = TimeSpan.FromMilliseconds(100);
                    if (!_healthy) LogRecovered(_logger);
                    _healthy = true;
                }
                catch (Exception e) when (!abort.IsCancellationRequested)
                {
                    LedgerMetrics.BatchWritten(writeStarted, ok: false);
                    if (_healthy && _logger.IsEnabled(LogLevel.Warning)) LogWriteFailed(_logger, e.GetType().Name, e.Message);
                    _healthy = false;
                    if (_stopping && batchFromSpill == 0)
                    {
                        // Stopping with the database down: park the rows on disk now rather than lose them if the
                        // host's stop timeout fires mid-retry; the loop goes on trying until then.
                        Spill(batch);
                        batch.Clear();
                        while (_queue.Reader.TryRead(out var row)) batch.Add(row);
                        if (batch.Count > 0) { Spill(batch); batch.Clear(); }
                    }
                    Task.Delay(backoff, abort).GetAwaiter().GetResult();
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    if (_stopping && batch.Count == 0 && !File.Exists(_spillPath)) break;
                    if (_stopping && batch.Count == 0) continue;
                }
            }
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            // The stop timeout fired: everything not yet written goes to the spill file.
            if (batchFromSpill == 0 && batch.Count > 0) Spill(batch);
            var rest = new List<UsageRecord>();
            while (_queue.Reader.TryRead(out var row)) rest.Add(row);
            if (rest.Count > 0) Spill(rest);
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>The current wake signal; a completed one is replaced first, so each wait sees only wake-ups after it began.</summary>
    private Task TakeWake()
    {
        var current = Volatile.Read(ref _wake);
        if (current.Task.IsCompleted) Interlocked.CompareExchange(ref _wake, NewWake(), current);
        return Volatile.Read(ref _wake).Task;
    }

    // ---- spill file --------------------------------------------------------------------------------------------

    private void Spill(List<UsageRecord> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(JsonSerializer.Serialize(row, LedgerJsonContext.Default.UsageRecord)).Append('\n');
        }
        lock (_spillGate)
        {
            using var stream = new FileStream(_spillPath, FileMode.Append, FileAccess.Write, FileShare.Read);
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        Interlocked.Add(ref _spilledTotal, rows.Count);
    }

    /// <summary>Reads up to one batch of rows after the read offset; returns the offset after them (0 = nothing).</summary>
    private long ReadSpill(List<UsageRecord> batch)
    {
        lock (_spillGate)
        {
            if (!File.Exists(_spillPath)) return 0;
            using var stream = new FileStream(_spillPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (_spillReadOffset >= stream.Length) return 0;
            stream.Seek(_spillReadOffset, SeekOrigin.Begin);
            var offset = _spillReadOffset;
            // One chunk at a time (a batch of rows is far below 1 MiB), so a large spill file is not read whole.
            var buffer = new byte[Math.Min(stream.Length - offset, 1 << 20)];
            stream.ReadExactly(buffer);
            var lineStart = 0;
            for (var i = 0; i < buffer.Length && batch.Count < LedgerRepository.MaxBatch; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                var line = buffer.AsSpan(lineStart, i - lineStart);
                if (line.Length > 0 && ReadSpillLine(line) is { } row) batch.Add(row);
                lineStart = i + 1;
            }
            if (batch.Count == 0 && lineStart > 0)
            {
                // Every complete line read was unreadable (now quarantined): skip past them and read on.
                CommitSpillRead(offset + lineStart);
                return ReadSpill(batch);
            }
            // A final line without '\n' is a write in progress (or torn by a crash): left for later.
            return batch.Count == 0 ? 0 : offset + lineStart;
        }
    }

    private void CommitSpillRead(long offset)
    {
        lock (_spillGate)
        {
            _spillReadOffset = offset;
            if (File.Exists(_spillPath) && new FileInfo(_spillPath).Length <= offset)
            {
                File.Delete(_spillPath);
                _spillReadOffset = 0;
            }
        }
    }

    private static long CountLines(string path)
    {
        long n = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0) n++;
        }
        return n;
    }

    public async ValueTask DisposeAsync()
    {
        if (_loop is { IsCompleted: false }) await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage ledger: database write failed ({Kind}: {Reason}); rows are buffered (memory, then disk) and retried")]
    private static partial void LogWriteFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage ledger: database writes resumed")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage ledger stopped: {Stored} rows written, {Spilled} went through the spill file, spill file left for next start: {SpillLeft}")]
    private static partial void LogStopped(ILogger logger, long stored, long spilled, bool spillLeft);
}
