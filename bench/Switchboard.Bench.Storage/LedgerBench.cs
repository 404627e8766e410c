using System.Diagnostics;
using System.Globalization;
using Switchboard.Storage;
using Switchboard.Storage.Usage;
using Switchboard.Usage;

namespace Switchboard.Bench.Storage;

/// <summary>
/// µs per ledger row as the writer pays it: <c>LedgerRepository.InsertAsync</c> called directly with batches of a fixed
/// size (what the writer hands it under load), into a ledger that already holds <c>prefill</c> rows (index depth and the
/// page cache matter), with request ids as random as the gateway's. Prints wall time and this process's CPU time per row
/// (for PostgreSQL the server's CPU is not in the second figure, but it is in the wall time: the calls are sequential).
/// </summary>
internal static class LedgerBench
{
    /// <param name="gapMs">
    /// A pause before each measured batch (0: back to back). With a pause the batches meet cold caches, as a gateway's
    /// one-row batches do when requests are sparse (the writer commits 100 ms after a row arrives).
    /// </param>
    public static async Task RunAsync(string target, int prefill, int rows, int batch, int gapMs = 0)
    {
        await using var db = SwitchboardDatabase.FromConfigValue(target);
        await db.MigrateAsync();
        if (Environment.GetEnvironmentVariable("SB_BENCH_SQL") is { Length: > 0 } extra)
        {
            // Schema experiments (e.g. dropping an index) without a migration.
            await using var connection = await db.OpenAsync();
            await using var command = SwitchboardDatabase.Command(connection, extra);
            await command.ExecuteNonQueryAsync();
        }
        var repository = new LedgerRepository(db);
        var t0 = DateTimeOffset.UtcNow.AddDays(-1);
        var done = 0;
        while (done < prefill)
        {
            var n = Math.Min(LedgerRepository.MaxBatch, prefill - done);
            await repository.InsertAsync(Make(n, t0.AddMilliseconds(done / 10)));
            done += n;
        }
        // Warm-up (JIT, prepared statements, page cache), not measured.
        for (var i = 0; i < 20; i++) await repository.InsertAsync(Make(batch, t0));

        var batches = new List<UsageRecord[]>();
        for (var i = 0; i < rows; i += batch) batches.Add(Make(Math.Min(batch, rows - i), DateTimeOffset.UtcNow.AddMilliseconds(i / 10)));
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var threadCpu = 0.0;
        var clock = Stopwatch.StartNew();
        var paused = TimeSpan.Zero;
        foreach (var b in batches)
        {
            if (gapMs > 0)
            {
                var pause = Stopwatch.StartNew();
                Thread.Sleep(gapMs); // blocks this thread, as the writer's own thread waits between batches
                paused += pause.Elapsed;
            }
            var t = ThreadCpu.Microseconds();
            await repository.InsertAsync(b);
            threadCpu += ThreadCpu.Microseconds() - t; // exact for SQLite (synchronous); PostgreSQL may resume elsewhere
        }
        var wall = clock.Elapsed - paused;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var every = gapMs > 0 ? string.Create(CultureInfo.InvariantCulture, $" every {gapMs} ms") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{db.Location.Display}: ledger insert, batch {batch}{every}, {rows} rows on {prefill} already stored: {wall.TotalMicroseconds / rows:F2} µs/row wall, " +
            $"{cpu.TotalMicroseconds / rows:F2} µs/row CPU (this process), {threadCpu / rows:F2} µs/row CPU (inserting thread)"));
    }

    // SB_BENCH_IDS=ordered: time-ordered request ids (as the gateway makes them) instead of random ones.
    private static readonly bool OrderedIds = Environment.GetEnvironmentVariable("SB_BENCH_IDS") == "ordered";

    private static UsageRecord[] Make(int n, DateTimeOffset at)
    {
        var result = new UsageRecord[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = new UsageRecord
            {
                RequestId = OrderedIds ? "req_" + Guid.CreateVersion7().ToString("N") : "req_" + Guid.NewGuid().ToString("N"), Timestamp = at, KeyId = "key_" + (i % 8),
                KeyName = "k" + (i % 8), Team = i % 2 == 0 ? "ops" : null, Endpoint = "chat.completions", Model = "gpt-4o", Provider = "openai",
                UpstreamModel = "gpt-4o-2024-08-06", Status = 200, Usage = new TokenUsage(100, 20, 120, 0, 0), CostUsd = 0.00045m, Attempts = 1,
                AttemptLog = "openai:200", LatencyMs = 12.5, TimeToFirstTokenMs = i % 3 == 0 ? 3.25 : null,
            };
        }
        return result;
    }
}

/// <summary>CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>).</summary>
internal static partial class ThreadCpu
{
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    public static double Microseconds()
    {
        ClockGetTime(3, out var t);
        return t.Seconds * 1e6 + t.Nanoseconds / 1e3;
    }
}
