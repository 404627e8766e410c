using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Bench.Client;

/// <summary>
/// Opens <c>--streams</c> slow streams (ramped at <c>--ramp-per-sec</c>), keeps each open until its [DONE], and
/// reports how many were open at once, completed and failed. Used for the memory test: the caller samples the
/// gateway's RSS meanwhile. Writes <c>--ready-file</c> once every stream has received its first chunk.
/// </summary>
public static class HoldCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var url = new Uri(args.Required("--url"));
        var auth = Http.Bearer(args.Text("--key"));
        var model = args.Text("--model", "bench");
        var streams = args.Number("--streams", 5000);
        var rampPerSecond = Math.Max(1, args.Number("--ramp-per-sec", 1000));
        var chunks = args.Number("--chunks", 30);
        var interval = args.Number("--interval-ms", 1000);
        var readyFile = args.Text("--ready-file");
        var timeout = args.Duration("--timeout", TimeSpan.FromMinutes(5));
        args.EnsureAllUsed();

        var body = Http.ChatBody(model, stream: true, string.Create(CultureInfo.InvariantCulture,
            $",\"bench_chunks\":{chunks},\"bench_chunk_interval_ms\":{interval}"));
        using var invoker = Http.CreateInvoker();
        using var deadline = new CancellationTokenSource(timeout);
        int open = 0, maxOpen = 0, started = 0, firstChunk = 0, completed = 0, failed = 0;
        var lastError = "";
        var ttfb = new double[streams];
        var clock = Stopwatch.StartNew();

        async Task One(int index)
        {
            using var request = Http.Post(url, body, auth);
            var start = Stopwatch.GetTimestamp();
            var counted = false;
            try
            {
                using var response = await invoker.SendAsync(request, deadline.Token);
                if ((int)response.StatusCode != 200) throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
                await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
                var buffer = new byte[4096];
                var seenFirst = false;
                var tail = new byte[16];
                var tailLength = 0;
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, deadline.Token);
                    if (read == 0) break;
                    if (!seenFirst)
                    {
                        seenFirst = true;
                        ttfb[index] = Http.Micros(start, Stopwatch.GetTimestamp());
                        counted = true;
                        var now = Interlocked.Increment(ref open);
                        InterlockedMax(ref maxOpen, now);
                        Interlocked.Increment(ref firstChunk);
                    }
                    // Keep the last bytes to check the stream ended with [DONE].
                    var keep = Math.Min(read, tail.Length);
                    if (tailLength + keep > tail.Length)
                    {
                        var drop = tailLength + keep - tail.Length;
                        tail.AsSpan(drop, tailLength - drop).CopyTo(tail);
                        tailLength -= drop;
                    }
                    buffer.AsSpan(read - keep, keep).CopyTo(tail.AsSpan(tailLength));
                    tailLength += keep;
                }
                if (!tail.AsSpan(0, tailLength).EndsWith("data: [DONE]\n\n"u8)) throw new HttpRequestException("stream ended without [DONE]");
                Interlocked.Increment(ref completed);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                Interlocked.Increment(ref failed);
                lastError = ex.GetType().Name + ": " + ex.Message;
            }
            finally
            {
                if (counted) Interlocked.Decrement(ref open);
            }
        }

        var tasks = new List<Task>(streams);
        using var progress = new Timer(_ => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  t={clock.Elapsed.TotalSeconds:0}s started={Volatile.Read(ref started)} open={Volatile.Read(ref open)} completed={Volatile.Read(ref completed)} failed={Volatile.Read(ref failed)}")),
            null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        var ready = false;
        for (var i = 0; i < streams; i++)
        {
            // Ramp: stream i starts at i / rate seconds.
            var due = TimeSpan.FromSeconds((double)i / rampPerSecond) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1)) await Task.Delay(due);
            var index = i;
            tasks.Add(Task.Run(() => One(index)));
            started++;
        }
        var all = Task.WhenAll(tasks);
        while (!all.IsCompleted)
        {
            if (!ready && Volatile.Read(ref firstChunk) + Volatile.Read(ref failed) >= streams)
            {
                ready = true;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  all {streams} streams answered after {clock.Elapsed.TotalSeconds:0.0}s (open now {Volatile.Read(ref open)})"));
                if (readyFile is not null) await File.WriteAllTextAsync(readyFile, "ready\n");
            }
            await Task.WhenAny(all, Task.Delay(100));
        }

        var answered = new Percentiles(ttfb.Where(t => t > 0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hold: streams={streams} completed={completed} failed={failed} max_open={maxOpen} seconds={clock.Elapsed.TotalSeconds:0.0}")
            + (failed > 0 ? $" last_error=\"{lastError}\"" : ""));
        Console.WriteLine("  ttfb " + answered.Describe("us"));
        return failed > 0 ? 1 : 0;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
