using System.Globalization;

namespace Switchboard.Bench.Client;

/// <summary>
/// Streaming timing, one stream at a time: time to first byte (send → role chunk received), each chunk's
/// one-way relay latency (upstream send stamp → client arrival) and the gaps between consecutive chunks.
/// </summary>
public static class StreamCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var url = new Uri(args.Required("--url"));
        var auth = Http.Bearer(args.Text("--key"));
        var model = args.Text("--model", "bench");
        var count = args.Number("--streams", 30);
        var warmup = args.Number("--warmup", 3);
        var chunks = args.Number("--chunks", 20);
        var interval = args.Number("--interval-ms", 10);
        var outDir = args.Text("--out-dir");
        var tag = args.Text("--tag", "stream");
        args.EnsureAllUsed();

        var body = Http.ChatBody(model, stream: true, string.Create(CultureInfo.InvariantCulture,
            $",\"bench_chunks\":{chunks},\"bench_chunk_interval_ms\":{interval}"));
        using var invoker = Http.CreateInvoker();
        var buffer = new byte[256 * 1024];
        List<double> ttfb = [], relay = [], gaps = [];
        var failures = 0;
        var lastError = "";

        for (var i = 0; i < warmup + count; i++)
        {
            var record = i >= warmup;
            using var request = Http.Post(url, body, auth);
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                using var response = await invoker.SendAsync(request, CancellationToken.None);
                if ((int)response.StatusCode != 200) throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
                await using var stream = await response.Content.ReadAsStreamAsync();
                var events = await SseArrivalReader.ReadAsync(stream, buffer, CancellationToken.None);
                var content = events.Count(e => e.Kind == SseKind.Content);
                if (events.Count == 0 || events[0].Kind != SseKind.Role || content != chunks || events[^1].Kind != SseKind.Done)
                {
                    throw new HttpRequestException($"malformed stream: {events.Count} events, {content} content chunks, expected {chunks}");
                }
                if (!record) continue;
                ttfb.Add(Http.Micros(start, events[0].ArrivedAt));
                long? previous = null;
                foreach (var e in events)
                {
                    if (e.SentAt > 0) relay.Add(Http.Micros(e.SentAt, e.ArrivedAt));
                    if (e.Kind is SseKind.Role or SseKind.Content)
                    {
                        if (previous is { } p) gaps.Add(Http.Micros(p, e.ArrivedAt));
                        previous = e.ArrivedAt;
                    }
                }
            }
            catch (HttpRequestException ex)
            {
                failures++;
                lastError = ex.Message;
            }
        }

        if (outDir is not null)
        {
            Percentiles.WriteSamples(Path.Combine(outDir, $"ttfb-{tag}.txt"), ttfb);
            Percentiles.WriteSamples(Path.Combine(outDir, $"chunk-{tag}.txt"), relay);
            Percentiles.WriteSamples(Path.Combine(outDir, $"gap-{tag}.txt"), gaps);
        }
        Console.WriteLine($"stream {url} ({count} streams, {chunks} chunks every {interval} ms, failures={failures})"
            + (failures > 0 ? $" last_error=\"{lastError}\"" : ""));
        Console.WriteLine("  ttfb        " + new Percentiles(ttfb).Describe("us"));
        Console.WriteLine("  chunk relay " + new Percentiles(relay).Describe("us"));
        Console.WriteLine("  chunk gap   " + new Percentiles(gaps).Describe("us"));
        return failures > 0 || ttfb.Count == 0 ? 1 : 0;
    }
}
