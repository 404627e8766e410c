using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchboard.Bench.Client;

/// <summary>
/// Turns the raw files of one run.sh run into the markdown table: latency samples are pooled over all rounds
/// per target before the percentiles are taken; wrk figures are the median of the rounds (min–max beside).
/// The OpenAI passthrough table has a fourth column, the .NET floor (run.sh's <c>floor</c> target), when the run measured it.
/// </summary>
public static class ReportCommand
{
    private static readonly string[] Targets = ["direct", "nginx", "switchboard"];
    private static readonly string[] TargetsWithFloor = [.. Targets, "floor"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(Args args)
    {
        var raw = args.Required("--raw");
        var output = args.Text("--out");
        args.EnsureAllUsed();

        var meta = ReadMeta(Path.Combine(raw, "meta.env"));
        var md = new StringBuilder();
        string M(string key) => meta.TryGetValue(key, out var v) ? v : "?";

        md.AppendLine(Inv, $"### {M("date")} — `{M("mode")}` run, {M("rounds")} round(s)");
        md.AppendLine();
        md.AppendLine(string.Create(Inv, $"Machine: {M("cpus")} vCPU × {M("cpu_model")} ({M("vm")} VM), {M("memory")}, Linux {M("kernel")}, .NET {M("dotnet")}, nginx {M("nginx")} ")
            + string.Create(Inv, $"(worker_processes {M("nginx_workers")}), wrk {M("wrk")}. Load average (1 min) {M("load_start")} at the start, {M("load_end")} at the end ")
            + string.Create(Inv, $"(the benchmark's own threads count in it); other processes used {M("foreign_cpu")} of the machine's CPU time during the run."));
        md.AppendLine();
        var paths = PathSpec.Read(raw);
        md.AppendLine("Gateway: Release build, auth ON (virtual key + master key), model `bench` → one `openai` provider (the bench upstream"
            + (paths.Count > 1 ? "; the translation paths below use one `anthropic` and one `gemini` provider on it too" : "") + "). "
            + string.Create(Inv, $"Request: {M("body_bytes")} B chat request, {M("response_bytes")} B answer. ")
            + string.Create(Inv, $"Streams: {M("stream_chunks")} content chunks {M("stream_interval_ms")} ms apart."));
        if (meta.TryGetValue("gateway_env", out var env)) md.AppendLine(CultureInfo.InvariantCulture, $"Gateway environment: `{env}`.");
        if (meta.TryGetValue("tools_env", out var tools))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Bench client and upstream environment (`--quiet-tools`): `{tools}`.");
        }
        md.AppendLine();
        var main = paths[0];
        var latency = AppendTable(md, raw, main);
        var hasFloor = latency.ContainsKey("floor");
        md.AppendLine();
        md.AppendLine(string.Create(Inv, $"Gateway memory during this run: RSS {M("rss_start")} after start-up, {M("rss_warm")} after warm-up, ")
            + string.Create(Inv, $"peak (VmHWM) {M("rss_peak")}, {M("rss_end")} at the end."));
        if (meta.ContainsKey("errors")) md.AppendLine().AppendLine(Inv, $"Errors: {M("errors")}");
        md.AppendLine();
        var addedGateway = Added(latency, 99).ToString("0", Inv);
        var addedNginx = Added(latency, 99, "nginx").ToString("0", Inv);
        var addedFloor = hasFloor ? $", the .NET floor {Added(latency, 99, "floor").ToString("0", Inv)} µs" : "";
        md.AppendLine($"Added latency at c=1, p99, next to the published figures: Switchboard {addedGateway} µs, nginx {addedNginx} µs{addedFloor}; "
            + "LiteLLM-Rust 107 µs, agentgateway 186 µs, Helicone 444 µs, Bifrost 939 µs, Portkey 3.3 ms, LiteLLM (Python) 8 ms "
            + "(theirs: their own machines and methods).");

        md.AppendLine();
        AppendTargets(md, raw, main, latency);

        if (paths.Count > 1) AppendPaths(md, raw, paths);

        var text = md.ToString();
        Console.Write(text);
        if (output is not null) File.WriteAllText(output, text);
        return 0;
    }

    /// <summary>The rows of one path's table (the same rows for every path); returns the c=1 samples by column.</summary>
    private static Dictionary<string, Percentiles> AppendTable(StringBuilder md, string raw, PathSpec path)
    {
        // The floor is measured on the OpenAI passthrough only (it has no translation).
        var targets = path == PathSpec.OpenAIPassthrough && Directory.GetFiles(raw, "lat-floor-r*.txt").Length > 0 ? TargetsWithFloor : Targets;
        md.AppendLine("| metric | " + string.Join(" | ", targets) + " | " + string.Join(" | ", targets.Skip(1).Select(t => t + " adds")) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("--:|", targets.Length * 2 - 1)));
        var blanks = string.Concat(Enumerable.Repeat(" |", targets.Length - 1));
        string Counts(Dictionary<string, Percentiles> samples) => string.Join(" | ", targets.Select(t => samples[t].Count.ToString(Inv)));

        // Latency at concurrency 1 (pooled samples).
        var latency = targets.ToDictionary(t => t, t => Pool(raw, $"lat-{path.Tag(t)}-r*.txt"));
        foreach (var (label, p) in new[] { ("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("p99.9", 99.9) })
        {
            AddLatencyRow(md, targets, $"latency c=1 {label}", latency, x => x.At(p));
        }
        md.AppendLine(Inv, $"| c=1 samples per target | {Counts(latency)} |{blanks}");

        // Throughput with wrk.
        foreach (var connections in new[] { 32, 256 })
        {
            var runs = targets.ToDictionary(t => t, t => WrkRuns(raw, path.Tag(t), connections));
            if (runs.Values.All(r => r.Count == 0)) continue;
            md.Append(Inv, $"| throughput c={connections} (req/s)");
            foreach (var t in targets) md.Append(" | ").Append(Spread(runs[t], r => r.Rps, "0"));
            foreach (var t in targets.Skip(1))
            {
                var d = Median(runs["direct"], r => r.Rps);
                md.Append(" | ").Append(double.IsNaN(d) ? "" : string.Format(Inv, "{0:+0;-0} %", (Median(runs[t], r => r.Rps) / d - 1) * 100));
            }
            md.AppendLine(" |");
            foreach (var (label, pick) in new (string, Func<WrkRun, double>)[] { ("p50", r => r.P50), ("p99", r => r.P99) })
            {
                md.Append(Inv, $"| latency c={connections} {label} (ms)");
                foreach (var t in targets) md.Append(" | ").Append(Spread(runs[t], r => pick(r) / 1000, "0.00"));
                foreach (var t in targets.Skip(1))
                {
                    md.Append(" | ").Append(string.Format(Inv, "{0:+0.00;-0.00} ms", (Median(runs[t], pick) - Median(runs["direct"], pick)) / 1000));
                }
                md.AppendLine(" |");
            }
            foreach (var (label, pick) in new (string, Func<WrkRun, double>)[] { ("proxy process", r => r.ProxyCpuUs), ("bench upstream", r => r.UpstreamCpuUs) })
            {
                if (runs.Values.All(list => list.All(r => double.IsNaN(pick(r))))) continue;
                md.Append(Inv, $"| CPU per request c={connections}, {label} (µs)");
                foreach (var t in targets) md.Append(" | ").Append(runs[t].All(r => double.IsNaN(pick(r))) ? "–" : Spread(runs[t], pick, "0"));
                md.AppendLine(" |" + blanks);
            }
            var errors = targets.Select(t => runs[t].Sum(r => r.Errors)).ToArray();
            if (errors.Any(e => e > 0))
            {
                md.AppendLine(Inv, $"| errors c={connections} (non-2xx + socket) | {string.Join(" | ", errors)} |{blanks}");
            }
        }

        // Streaming.
        var ttfb = targets.ToDictionary(t => t, t => Pool(raw, $"ttfb-{path.StreamTag(t)}-r*.txt"));
        var relay = targets.ToDictionary(t => t, t => Pool(raw, $"chunk-{path.StreamTag(t)}-r*.txt"));
        var ttft = targets.ToDictionary(t => t, t => Pool(raw, $"ttft-{path.StreamTag(t)}-r*.txt"));
        var gaps = targets.ToDictionary(t => t, t => Pool(raw, $"gap-{path.StreamTag(t)}-r*.txt"));
        var ttftNet = targets.ToDictionary(t => t, t => Pool(raw, $"ttftnet-{path.StreamTag(t)}-r*.txt"));
        if (ttfb["switchboard"].Count > 0)
        {
            AddLatencyRow(md, targets, "stream time to first byte p50", ttfb, x => x.At(50));
            AddLatencyRow(md, targets, "stream time to first byte p99", ttfb, x => x.At(99));
            if (ttft["switchboard"].Count > 0)
            {
                AddLatencyRow(md, targets, "stream time to first token p50", ttft, x => x.At(50));
                AddLatencyRow(md, targets, "stream time to first token p99", ttft, x => x.At(99));
            }
            if (ttftNet["switchboard"].Count > 0)
            {
                AddLatencyRow(md, targets, "first token without the upstream's wait p50", ttftNet, x => x.At(50));
                AddLatencyRow(md, targets, "first token without the upstream's wait p99", ttftNet, x => x.At(99));
                AddPerRoundRow(md, targets, "first token without the upstream's wait p99, per round", raw, "ttftnet", path, 99);
            }
            AddLatencyRow(md, targets, "per-chunk relay latency p50", relay, x => x.At(50));
            AddLatencyRow(md, targets, "per-chunk relay latency p99", relay, x => x.At(99));
            AddLatencyRow(md, targets, "inter-chunk gap p50", gaps, x => x.At(50), millis: true);
            AddLatencyRow(md, targets, "inter-chunk gap p99", gaps, x => x.At(99), millis: true);
            md.AppendLine(Inv, $"| streams per target | {Counts(ttfb)} |{blanks}");
        }
        return latency;
    }

    /// <summary>
    /// Every translation path: one summary line each (what the gateway adds on that path), then each path's own table
    /// with the same rows as the OpenAI passthrough table above.
    /// </summary>
    private static void AppendPaths(StringBuilder md, string raw, List<PathSpec> paths)
    {
        md.AppendLine();
        md.AppendLine("#### Every translation path (client dialect → upstream type)");
        md.AppendLine();
        md.AppendLine("For each path, **direct** and **nginx** are the client calling that upstream in the upstream's own dialect "
            + "(directly, and through one nginx hop); **switchboard** is the client calling the gateway in its own dialect with a "
            + "model on that upstream, so **added** = gateway(path) − direct(upstream dialect), for the same percentile. Time to "
            + "first token = send → first content event; \"without the upstream's wait\" = time to first byte + the first content chunk's relay "
            + "(the upstream's own timer before its first token left out, see StreamCommand); per-chunk relay = upstream send stamp → "
            + "client arrival of each content chunk.");
        md.AppendLine();
        md.AppendLine("| path | c=1 p50 added | c=1 p99 added | c=32 req/s direct / nginx / switchboard | c=32 p99 added | "
            + "stream first byte added p50 | first token added p50 / p99 | first token without the upstream's wait, added p50 / p99 | "
            + "chunk relay added p50 / p99 |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var path in paths)
        {
            Percentiles Samples(string prefix, string tag) => Pool(raw, $"{prefix}-{tag}-r*.txt");
            double AddedAt(string prefix, bool stream, double p) =>
                Samples(prefix, path.Gateway).At(p) - Samples(prefix, stream ? path.DirectStream : path.Direct).At(p);
            string Us(double v) => double.IsNaN(v) ? "–" : string.Format(Inv, "{0:+0;-0} µs", v);
            var wrk = Targets.ToDictionary(t => t, t => WrkRuns(raw, path.Tag(t), 32));
            var rps = string.Join(" / ", Targets.Select(t => wrk[t].Count == 0 ? "–" : Median(wrk[t], r => r.Rps).ToString("0", Inv)));
            var p99 = wrk["switchboard"].Count == 0 || wrk["direct"].Count == 0 ? "–"
                : string.Format(Inv, "{0:+0.00;-0.00} ms", (Median(wrk["switchboard"], r => r.P99) - Median(wrk["direct"], r => r.P99)) / 1000);
            md.AppendLine(Inv, $"| {path.Title} | {Us(AddedAt("lat", false, 50))} | {Us(AddedAt("lat", false, 99))} | {rps} | {p99} | "
                + $"{Us(AddedAt("ttfb", true, 50))} | {Us(AddedAt("ttft", true, 50))} / {Us(AddedAt("ttft", true, 99))} | "
                + $"{Us(AddedAt("ttftnet", true, 50))} / {Us(AddedAt("ttftnet", true, 99))} | "
                + $"{Us(AddedAt("chunk", true, 50))} / {Us(AddedAt("chunk", true, 99))} |");
        }
        foreach (var path in paths.Skip(1))
        {
            md.AppendLine();
            md.AppendLine(Inv, $"##### {path.Title}");
            md.AppendLine();
            md.AppendLine(Inv, $"Columns: direct = `{path.Direct}` (streams `{path.DirectStream}`), nginx = `{path.Nginx}` (streams `{path.NginxStream}`), switchboard = `{path.Gateway}`.");
            md.AppendLine();
            AppendTable(md, raw, path);
        }
    }

    /// <summary>
    /// Issue 3's targets as this run measured them: what each proxy adds over direct as a ratio to what nginx's hop adds,
    /// throughput as a ratio to nginx's, and a stream's first token without the upstream's wait. The floor's column (when
    /// measured) shows how close the platform alone comes to each target in the same run.
    /// </summary>
    private static void AppendTargets(StringBuilder md, string raw, PathSpec path, Dictionary<string, Percentiles> latency)
    {
        string[] proxies = latency.ContainsKey("floor") ? ["switchboard", "floor"] : ["switchboard"];
        var wrk = proxies.Append("nginx").ToDictionary(t => t, t => WrkRuns(raw, path.Tag(t), 32));
        var ttftNet = proxies.Append("direct").ToDictionary(t => t, t => Pool(raw, $"ttftnet-{path.StreamTag(t)}-r*.txt"));
        static string Ratio(double value, double reference) =>
            double.IsNaN(value) || double.IsNaN(reference) || reference <= 0 ? "–" : string.Format(Inv, "{0:0.00}×", value / reference);
        void Row(string label, Func<string, string> cell) => md.AppendLine($"| {label} | " + string.Join(" | ", proxies.Select(cell)) + " |");

        md.AppendLine("Against the targets (ratios from this run):");
        md.AppendLine();
        md.AppendLine("| target | " + string.Join(" | ", proxies) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("--:|", proxies.Length)));
        Row("c=1 added p50 ÷ nginx's added (within 2×)", t => Ratio(Added(latency, 50, t), Added(latency, 50, "nginx")));
        Row("c=1 added p99 ÷ nginx's added (within 2×)", t => Ratio(Added(latency, 99, t), Added(latency, 99, "nginx")));
        Row("c=32 req/s ÷ nginx's (at least 0.6×)", t => Ratio(Median(wrk[t], r => r.Rps), Median(wrk["nginx"], r => r.Rps)));
        Row("first token without the upstream's wait, added p99 (under 1 ms)", t =>
        {
            var added = ttftNet[t].At(99) - ttftNet["direct"].At(99);
            return double.IsNaN(added) ? "–" : string.Format(Inv, "{0:+0;-0} µs", added);
        });
    }

    private static double Added(Dictionary<string, Percentiles> samples, double p, string target = "switchboard") =>
        samples[target].At(p) - samples["direct"].At(p);

    private static void AddLatencyRow(StringBuilder md, string[] targets, string label, Dictionary<string, Percentiles> samples, Func<Percentiles, double> pick, bool millis = false)
    {
        string Format(double us) => double.IsNaN(us) ? "–" : millis ? string.Format(Inv, "{0:0.00} ms", us / 1000) : string.Format(Inv, "{0:0} µs", us);
        string Delta(double us) => double.IsNaN(us) ? "–" : millis ? string.Format(Inv, "{0:+0.00;-0.00} ms", us / 1000) : string.Format(Inv, "{0:+0;-0} µs", us);
        md.Append(Inv, $"| {label}");
        foreach (var t in targets) md.Append(" | ").Append(Format(pick(samples[t])));
        foreach (var t in targets.Skip(1)) md.Append(" | ").Append(Delta(pick(samples[t]) - pick(samples["direct"])));
        md.AppendLine(" |");
    }

    /// <summary>
    /// One percentile per round ("r1 / r2 / r3") for each target and for what nginx and the gateway add: a stream's
    /// tail moves with the machine's phases, and the spread of the rounds shows how far a pooled figure can be trusted.
    /// </summary>
    private static void AddPerRoundRow(StringBuilder md, string[] targets, string label, string dir, string prefix, PathSpec path, double percent)
    {
        // The rounds are the numbers after "-r" in the gateway target's file names (…-r1.txt, …-r2.txt).
        var rounds = Directory.Exists(dir)
            ? Directory.GetFiles(dir, $"{prefix}-{path.StreamTag("switchboard")}-r*.txt")
                .Select(f => Path.GetFileNameWithoutExtension(f))
                .Select(name => name[(name.LastIndexOf("-r", StringComparison.Ordinal) + 2)..])
                .OrderBy(r => r.Length).ThenBy(r => r, StringComparer.Ordinal).ToList()
            : [];
        if (rounds.Count < 2) return;
        var at = targets.ToDictionary(t => t, t => rounds
            .Select(r => Pool(dir, $"{prefix}-{path.StreamTag(t)}-r{r}.txt").At(percent)).ToList());
        string Joined(IEnumerable<double> values, bool signed) =>
            string.Join(" / ", values.Select(v => double.IsNaN(v) ? "–" : string.Format(Inv, signed ? "{0:+0;-0}" : "{0:0}", v)));
        md.Append(Inv, $"| {label} (µs)");
        foreach (var t in targets) md.Append(" | ").Append(Joined(at[t], signed: false));
        foreach (var t in targets.Skip(1)) md.Append(" | ").Append(Joined(at[t].Zip(at["direct"], (a, d) => a - d), signed: true));
        md.AppendLine(" |");
    }

    private static Percentiles Pool(string dir, string pattern) =>
        new(Percentiles.ReadSamples(Directory.Exists(dir) ? Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal) : []));

    /// <summary>One wrk run's figures from the WRKJSON line its Lua done() printed (latencies in µs).</summary>
    public sealed record WrkRun(double Rps, double P50, double P99, long Errors, double ProxyCpuUs, double UpstreamCpuUs);

    private static List<WrkRun> WrkRuns(string dir, string target, int connections)
    {
        var runs = new List<WrkRun>();
        foreach (var file in Directory.GetFiles(dir, $"wrk-{target}-c{connections}-r*.txt").Order(StringComparer.Ordinal))
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("WRKJSON ", StringComparison.Ordinal));
            if (line is null) continue;
            using var json = JsonDocument.Parse(line[8..]);
            var r = json.RootElement;
            var seconds = r.GetProperty("duration_us").GetDouble() / 1e6;
            var requests = r.GetProperty("requests").GetDouble();
            // cpu-*.txt: proxy ticks, upstream ticks, ticks per second (from /proc/PID/stat around the wrk run).
            double proxyCpu = double.NaN, upstreamCpu = double.NaN;
            var cpuFile = Path.Combine(dir, Path.GetFileName(file).Replace("wrk-", "cpu-", StringComparison.Ordinal));
            if (File.Exists(cpuFile) && File.ReadAllText(cpuFile).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var p, var u, var hz])
            {
                var tick = 1e6 / double.Parse(hz, Inv);
                proxyCpu = target.StartsWith("direct", StringComparison.Ordinal) ? double.NaN : double.Parse(p, Inv) * tick / requests;
                upstreamCpu = double.Parse(u, Inv) * tick / requests;
            }
            runs.Add(new WrkRun(
                requests / seconds,
                r.GetProperty("p50").GetDouble(),
                r.GetProperty("p99").GetDouble(),
                r.GetProperty("errors_status").GetInt64() + r.GetProperty("errors_connect").GetInt64() + r.GetProperty("errors_read").GetInt64()
                    + r.GetProperty("errors_write").GetInt64() + r.GetProperty("errors_timeout").GetInt64(),
                proxyCpu, upstreamCpu));
        }
        return runs;
    }

    private static double Median(List<WrkRun> runs, Func<WrkRun, double> pick)
    {
        if (runs.Count == 0) return double.NaN;
        var values = runs.Select(pick).Order().ToArray();
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }

    private static string Spread(List<WrkRun> runs, Func<WrkRun, double> pick, string format)
    {
        if (runs.Count == 0) return "–";
        var median = Median(runs, pick).ToString(format, Inv);
        if (runs.Count == 1) return median;
        return $"{median} ({runs.Min(pick).ToString(format, Inv)}–{runs.Max(pick).ToString(format, Inv)})";
    }

    private static Dictionary<string, string> ReadMeta(string path)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return meta;
        foreach (var line in File.ReadLines(path))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) meta[line[..eq]] = line[(eq + 1)..];
        }
        return meta;
    }
}
