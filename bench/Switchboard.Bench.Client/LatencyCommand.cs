using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Bench.Client;

/// <summary>
/// Closed-loop latency: <c>--concurrency</c> workers (default 1) each send the non-streaming chat request, read
/// the whole answer, and record the time from send to last byte. Warm-up requests are not recorded. <c>--dialect</c>
/// picks the request's shape (the URL must be that dialect's endpoint).
/// </summary>
public static class LatencyCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var url = new Uri(args.Required("--url"));
        var dialect = Http.ParseDialect(args.Text("--dialect"));
        var auth = Http.Auth(dialect, args.Text("--key"));
        var model = args.Text("--model", "bench");
        var concurrency = args.Number("--concurrency", 1);
        var warmup = args.Duration("--warmup", TimeSpan.FromSeconds(2));
        var duration = args.Duration("--duration", TimeSpan.FromSeconds(10));
        var maxRequests = args.Number("--max-requests", 2_000_000);
        var output = args.Text("--out");
        args.EnsureAllUsed();

        var body = Http.Body(dialect, model, stream: false);
        using var invoker = Http.CreateInvoker();
        var errors = 0L;
        var lastError = "";
        var perWorker = Math.Max(1, maxRequests / concurrency);

        async Task<List<double>> Worker(TimeSpan length, bool record)
        {
            var samples = new List<double>(record ? 65536 : 0);
            var buffer = new byte[64 * 1024];
            var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end && samples.Count < perWorker)
            {
                using var request = Http.Post(url, body, auth);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await invoker.SendAsync(request, CancellationToken.None);
                    await using (var stream = await response.Content.ReadAsStreamAsync())
                    {
                        while (await stream.ReadAsync(buffer) > 0) { }
                    }
                    var done = Stopwatch.GetTimestamp();
                    if ((int)response.StatusCode != 200)
                    {
                        Interlocked.Increment(ref errors);
                        lastError = $"HTTP {(int)response.StatusCode}";
                        continue;
                    }
                    if (record) samples.Add(Http.Micros(start, done));
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref errors);
                    lastError = ex.Message;
                    await Task.Delay(10);
                }
            }
            return samples;
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => Worker(warmup, record: false))));
        errors = 0;
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => Worker(duration, record: true))));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = results.SelectMany(r => r).ToList();
        if (output is not null) Percentiles.WriteSamples(output, all);

        var p = new Percentiles(all);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency {url} c={concurrency}: {p.Describe("us")} rps={all.Count / elapsed.TotalSeconds:0} errors={errors}")
            + (errors > 0 ? $" last_error=\"{lastError}\"" : ""));
        return all.Count == 0 || errors > 0 ? 1 : 0;
    }
}
