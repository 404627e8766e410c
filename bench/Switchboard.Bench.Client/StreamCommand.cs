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
/// <para>
/// Several targets (<c>--url a,b,c</c> with matching <c>--tag</c>, and <c>--dialect</c>/<c>--model</c> lists or one
/// value for all) are measured round-robin: stream i of every target runs before stream i+1 of any. On a shared VM
/// the machine's own wake-up delays come in phases (200 direct streams with no proxy at all had a chunk-relay p90
/// anywhere between 0.2 and 3.7 ms from one run to the next), so targets measured in blocks one after another would
/// each get a different phase; round-robin gives every target the same ones.
/// </para>
/// </summary>
public static class StreamCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var urls = List(args.Required("--url"));
        var dialects = List(args.Text("--dialect", "openai"), urls.Length, "--dialect");
        var keyText = args.Text("--key");
        var models = List(args.Text("--model", "bench"), urls.Length, "--model");
        var count = args.Number("--streams", 30);
        var warmup = args.Number("--warmup", 3);
        var warmupConcurrency = Math.Max(1, args.Number("--warmup-concurrency", 1));
        var chunks = args.Number("--chunks", 20);
        var interval = args.Number("--interval-ms", 10);
        var outDir = args.Text("--out-dir");
        var tags = List(args.Text("--tag", urls.Length == 1 ? "stream" : string.Join(',', Enumerable.Range(1, urls.Length))), urls.Length, "--tag");
        args.EnsureAllUsed();

        // The knobs reach the upstream when the body is relayed as it is; a translating gateway drops them and the
        // upstream's command-line values apply (run.sh starts it with the same chunk count and interval).
        var knobs = string.Create(CultureInfo.InvariantCulture, $",\"bench_chunks\":{chunks},\"bench_chunk_interval_ms\":{interval}");
        var targets = urls.Select((url, i) =>
        {
            var dialect = Http.ParseDialect(dialects[i]);
            return new StreamTarget(new Uri(url), Http.Auth(dialect, keyText), Http.Body(dialect, models[i], stream: true, knobs), tags[i], new StreamSamples());
        }).ToArray();
        using var invoker = Http.CreateInvoker();
        var buffer = new byte[256 * 1024];

        // Warm-up streams may run several at a time: code that runs once per stream (the relay's setup, the response
        // start) must be called some dozens of times before the runtime's tiered JIT optimizes it, and one stream at a
        // time that takes 20 × 10 ms per stream. They are checked like measured ones but not recorded.
        var warmed = 0;
        while (warmupConcurrency > 1 && warmed < warmup)
        {
            var batch = Math.Min(warmupConcurrency, warmup - warmed);
            foreach (var target in targets)
            {
                var results = await Task.WhenAll(Enumerable.Range(0, batch).Select(_ => Task.Run(() => WarmOneAsync(invoker, target, chunks))));
                foreach (var error in results.Where(e => e is not null)) target.Samples.Fail(error!);
            }
            warmed += batch;
        }

        for (var i = warmed; i < warmup + count; i++)
        {
            foreach (var target in targets) await MeasureOneAsync(invoker, target, buffer, chunks, record: i >= warmup);
        }

        var failed = false;
        for (var t = 0; t < targets.Length; t++)
        {
            var (target, s) = (targets[t], targets[t].Samples);
            if (outDir is not null) s.Write(outDir, target.Tag);
            var prefix = targets.Length > 1 ? $"[{target.Tag}] " : "";
            Console.WriteLine($"{prefix}stream {target.Url} ({dialects[t]}, {count} streams, {chunks} chunks every {interval} ms, "
                + $"failures={s.Failures})" + (s.Failures > 0 ? $" last_error=\"{s.LastError}\"" : ""));
            Console.WriteLine($"{prefix}  ttfb        " + new Percentiles(s.Ttfb).Describe("us"));
            Console.WriteLine($"{prefix}  ttft        " + new Percentiles(s.Ttft).Describe("us"));
            Console.WriteLine($"{prefix}  ttft net    " + new Percentiles(s.TtftNet).Describe("us"));
            Console.WriteLine($"{prefix}  chunk relay " + new Percentiles(s.Relay).Describe("us"));
            Console.WriteLine($"{prefix}  chunk gap   " + new Percentiles(s.Gaps).Describe("us"));
            failed |= s.Failures > 0 || s.Ttfb.Count == 0;
        }
        return failed ? 1 : 0;
    }

    /// <summary>A comma-separated option: one value per target, or one value for all of them.</summary>
    private static string[] List(string text, int count, string name)
    {
        var values = List(text);
        if (values.Length == 1 && count > 1) return Enumerable.Repeat(values[0], count).ToArray();
        return values.Length == count ? values : throw new ArgumentException($"{name} needs one value or {count} (one per --url), not {values.Length}");
    }

    private static string[] List(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>One measured (or sequential warm-up) stream on a target, read to its end, checked and recorded.</summary>
    private static async Task MeasureOneAsync(HttpMessageInvoker invoker, StreamTarget target, byte[] buffer, int chunks, bool record)
    {
        try
        {
            var (start, events) = await ReadCheckedStreamAsync(invoker, target, buffer, chunks);
            if (record) target.Samples.Add(start, events);
        }
        catch (HttpRequestException ex)
        {
            target.Samples.Fail(ex.Message);
        }
    }

    /// <summary>One warm-up stream, read to its end and checked; the error, or null.</summary>
    private static async Task<string?> WarmOneAsync(HttpMessageInvoker invoker, StreamTarget target, int chunks)
    {
        try
        {
            await ReadCheckedStreamAsync(invoker, target, new byte[64 * 1024], chunks);
            return null;
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// Sends one stream request and reads its events to the end: when it was sent and what arrived. Throws
    /// <see cref="HttpRequestException"/> for a non-200 answer or a stream without exactly <paramref name="chunks"/>
    /// content events and its end event.
    /// </summary>
    private static async Task<(long Start, List<SseArrival> Events)> ReadCheckedStreamAsync(HttpMessageInvoker invoker, StreamTarget target, byte[] buffer, int chunks)
    {
        using var request = Http.Post(target.Url, target.Body, target.Auth);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
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
        return (start, events);
    }

    /// <summary>One target of a stream run: where to send, with which key and body, and the tag of its sample files.</summary>
    private sealed record StreamTarget(Uri Url, ClientAuth Auth, byte[] Body, string Tag, StreamSamples Samples);

    /// <summary>A target's samples (µs) and failures.</summary>
    private sealed class StreamSamples
    {
        public List<double> Ttfb { get; } = [];
        public List<double> Ttft { get; } = [];
        public List<double> TtftNet { get; } = [];
        public List<double> Relay { get; } = [];
        public List<double> Gaps { get; } = [];
        /// <summary>Each stream's send time, as the clock's raw stamp (CLOCK_MONOTONIC ns on Linux): lines a slow stream up with a `perf record -k mono` trace.</summary>
        public List<long> Starts { get; } = [];
        public int Failures { get; private set; }
        public string LastError { get; private set; } = "";

        public void Fail(string error)
        {
            Failures++;
            LastError = error;
        }

        public void Add(long start, List<SseArrival> events)
        {
            Starts.Add(start);
            Ttfb.Add(Http.Micros(start, events[0].ArrivedAt));
            var firstContent = events.FindIndex(e => e.Kind == SseKind.Content);
            Ttft.Add(Http.Micros(start, events[firstContent].ArrivedAt));
            if (firstContent == 0) TtftNet.Add(Http.Micros(start, events[0].ArrivedAt));
            else if (events[firstContent].SentAt > 0)
            {
                TtftNet.Add(Http.Micros(start, events[0].ArrivedAt) + Http.Micros(events[firstContent].SentAt, events[firstContent].ArrivedAt));
            }
            var previous = events[0].ArrivedAt;
            for (var k = 0; k < events.Count; k++)
            {
                var e = events[k];
                if (e.SentAt > 0) Relay.Add(Http.Micros(e.SentAt, e.ArrivedAt));
                if (k > 0 && e.Kind == SseKind.Content)
                {
                    Gaps.Add(Http.Micros(previous, e.ArrivedAt));
                    previous = e.ArrivedAt;
                }
            }
        }

        public void Write(string outDir, string tag)
        {
            Percentiles.WriteSamples(Path.Combine(outDir, $"ttfb-{tag}.txt"), Ttfb);
            Percentiles.WriteSamples(Path.Combine(outDir, $"ttft-{tag}.txt"), Ttft);
            Percentiles.WriteSamples(Path.Combine(outDir, $"ttftnet-{tag}.txt"), TtftNet);
            Percentiles.WriteSamples(Path.Combine(outDir, $"chunk-{tag}.txt"), Relay);
            Percentiles.WriteSamples(Path.Combine(outDir, $"gap-{tag}.txt"), Gaps);
            File.WriteAllLines(Path.Combine(outDir, $"start-{tag}.txt"), Starts.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
