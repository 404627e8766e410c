using System.Globalization;

namespace Switchboard.Bench.Client;

/// <summary>
/// Streaming timing, one stream at a time: time to first byte (send → first event received: OpenAI's role chunk,
/// Anthropic's message_start, Gemini's first chunk), time to first token (send → first content event), each
/// stamped chunk's one-way relay latency (upstream send stamp → client arrival) and the gaps between the first
/// event and the content events that follow, one after another.
/// <para>
/// Also the first token with the upstream's own wait left out: time to first byte plus the first content chunk's
/// relay latency (its upstream send stamp → client arrival). The bench upstream waits one interval before the
/// first token on the OpenAI and Anthropic wires, and that timer's jitter (several ms at p99 on a busy 2-core box)
/// is the upstream's, the same with or without a proxy; what a proxy adds to the first token is in the first
/// byte (the request's way up and the response's start) and in the first chunk's relay, which this keeps. When the
/// first event is itself the first token (Gemini), it equals the time to first token.
/// </para>
/// </summary>
public static class StreamCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var url = new Uri(args.Required("--url"));
        var dialect = Http.ParseDialect(args.Text("--dialect"));
        var auth = Http.Auth(dialect, args.Text("--key"));
        var model = args.Text("--model", "bench");
        var count = args.Number("--streams", 30);
        var warmup = args.Number("--warmup", 3);
        var warmupConcurrency = Math.Max(1, args.Number("--warmup-concurrency", 1));
        var chunks = args.Number("--chunks", 20);
        var interval = args.Number("--interval-ms", 10);
        var outDir = args.Text("--out-dir");
        var tag = args.Text("--tag", "stream");
        args.EnsureAllUsed();

        // The knobs reach the upstream when the body is relayed as it is; a translating gateway drops them and the
        // upstream's command-line values apply (run.sh starts it with the same chunk count and interval).
        var body = Http.Body(dialect, model, stream: true, string.Create(CultureInfo.InvariantCulture,
            $",\"bench_chunks\":{chunks},\"bench_chunk_interval_ms\":{interval}"));
        using var invoker = Http.CreateInvoker();
        var buffer = new byte[256 * 1024];
        List<double> ttfb = [], ttft = [], ttftNet = [], relay = [], gaps = [];
        var failures = 0;
        var lastError = "";

        // Warm-up streams may run several at a time: code that runs once per stream (the relay's setup, the response
        // start) must be called some dozens of times before the runtime's tiered JIT optimizes it, and one stream at a
        // time that takes 20 × 10 ms per stream. They are checked like measured ones but not recorded.
        var warmed = 0;
        while (warmupConcurrency > 1 && warmed < warmup)
        {
            var batch = Math.Min(warmupConcurrency, warmup - warmed);
            var results = await Task.WhenAll(Enumerable.Range(0, batch).Select(_ => Task.Run(() => WarmOneAsync(invoker, url, body, auth, chunks))));
            foreach (var error in results.Where(e => e is not null))
            {
                failures++;
                lastError = error!;
            }
            warmed += batch;
        }

        for (var i = warmed; i < warmup + count; i++)
        {
            var record = i >= warmup;
            using var request = Http.Post(url, body, auth);
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                using var response = await invoker.SendAsync(request, CancellationToken.None);
                if ((int)response.StatusCode != 200)
                {
                    var text = await response.Content.ReadAsStringAsync();
                    throw new HttpRequestException($"HTTP {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
                }
                await using var stream = await response.Content.ReadAsStreamAsync();
                var events = await SseArrivalReader.ReadAsync(stream, buffer, CancellationToken.None);
                var content = events.Count(e => e.Kind == SseKind.Content);
                if (events.Count == 0 || content != chunks || !events[^1].Final)
                {
                    throw new HttpRequestException($"malformed stream: {events.Count} events, {content} content chunks, expected {chunks}, "
                        + (events.Count > 0 && events[^1].Final ? "complete" : "no end event"));
                }
                if (!record) continue;
                ttfb.Add(Http.Micros(start, events[0].ArrivedAt));
                var firstContent = events.FindIndex(e => e.Kind == SseKind.Content);
                ttft.Add(Http.Micros(start, events[firstContent].ArrivedAt));
                if (firstContent == 0) ttftNet.Add(Http.Micros(start, events[0].ArrivedAt));
                else if (events[firstContent].SentAt > 0)
                {
                    ttftNet.Add(Http.Micros(start, events[0].ArrivedAt) + Http.Micros(events[firstContent].SentAt, events[firstContent].ArrivedAt));
                }
                var previous = events[0].ArrivedAt;
                for (var k = 0; k < events.Count; k++)
                {
                    var e = events[k];
                    if (e.SentAt > 0) relay.Add(Http.Micros(e.SentAt, e.ArrivedAt));
                    if (k > 0 && e.Kind == SseKind.Content)
                    {
                        gaps.Add(Http.Micros(previous, e.ArrivedAt));
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
            Percentiles.WriteSamples(Path.Combine(outDir, $"ttft-{tag}.txt"), ttft);
            Percentiles.WriteSamples(Path.Combine(outDir, $"ttftnet-{tag}.txt"), ttftNet);
            Percentiles.WriteSamples(Path.Combine(outDir, $"chunk-{tag}.txt"), relay);
            Percentiles.WriteSamples(Path.Combine(outDir, $"gap-{tag}.txt"), gaps);
        }
        Console.WriteLine($"stream {url} ({dialect}, {count} streams, {chunks} chunks every {interval} ms, failures={failures})"
            + (failures > 0 ? $" last_error=\"{lastError}\"" : ""));
        Console.WriteLine("  ttfb        " + new Percentiles(ttfb).Describe("us"));
        Console.WriteLine("  ttft        " + new Percentiles(ttft).Describe("us"));
        Console.WriteLine("  ttft net    " + new Percentiles(ttftNet).Describe("us"));
        Console.WriteLine("  chunk relay " + new Percentiles(relay).Describe("us"));
        Console.WriteLine("  chunk gap   " + new Percentiles(gaps).Describe("us"));
        return failures > 0 || ttfb.Count == 0 ? 1 : 0;
    }

    /// <summary>One warm-up stream, read to its end and checked; the error, or null.</summary>
    private static async Task<string?> WarmOneAsync(HttpMessageInvoker invoker, Uri url, byte[] body, ClientAuth auth, int chunks)
    {
        try
        {
            using var request = Http.Post(url, body, auth);
            using var response = await invoker.SendAsync(request, CancellationToken.None);
            if ((int)response.StatusCode != 200) return $"HTTP {(int)response.StatusCode}";
            await using var stream = await response.Content.ReadAsStreamAsync();
            var events = await SseArrivalReader.ReadAsync(stream, new byte[64 * 1024], CancellationToken.None);
            var content = events.Count(e => e.Kind == SseKind.Content);
            return content == chunks && events.Count > 0 && events[^1].Final ? null : $"malformed warm-up stream: {events.Count} events, {content} content chunks";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }
}
