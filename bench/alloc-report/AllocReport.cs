// Allocation report from a dotnet-trace "gc-verbose" trace of the gateway (bench/run.sh --profile builds and runs it).
// Not part of the solution: run.sh copies this file into a temp project that references
// Microsoft.Diagnostics.Tracing.TraceEvent from NuGet, so the repository's central package list stays untouched.
//
//   alloc-report TRACE.nettrace [REQUESTS_PER_SECOND]
//
// GCAllocationTick events sample roughly every 100 KB allocated, each with the type and the managed stack of the
// allocation that crossed the threshold; summed per type and per allocating method they give where the bytes come from.
using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

var path = args[0];
var rps = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0;
using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path));
var byType = new Dictionary<string, double>();
var byMethod = new Dictionary<string, double>();
var byChain = new Dictionary<string, double>();
var gcs = new SortedDictionary<int, int>();
double total = 0, first = double.MaxValue, last = 0, pauseMs = 0;
double? suspendedAt = null;
GCHeapStatsTraceData? lastHeap = null;

foreach (var e in log.Events)
{
    first = Math.Min(first, e.TimeStampRelativeMSec);
    last = Math.Max(last, e.TimeStampRelativeMSec);
    switch (e)
    {
        case GCAllocationTickTraceData tick:
            var amount = (double)tick.AllocationAmount64;
            total += amount;
            var type = tick.TypeName ?? "?";
            Add(byType, type, amount);
            var frames = new List<string>();
            for (var frame = e.CallStack(); frame is not null && frames.Count < 60; frame = frame.Caller)
            {
                var name = frame.CodeAddress.FullMethodName;
                if (!string.IsNullOrEmpty(name)) frames.Add(name);
            }
            // The allocating method: the first frame that is not the runtime's allocation plumbing.
            var owner = frames.FirstOrDefault(f => !f.StartsWith("System.Runtime.", StringComparison.Ordinal)
                && !f.StartsWith("System.GC.", StringComparison.Ordinal) && !f.StartsWith("System.String.", StringComparison.Ordinal)
                && !f.Contains("Allocat", StringComparison.Ordinal)) ?? "?";
            Add(byMethod, owner, amount);
            var ours = frames.FirstOrDefault(f => f.StartsWith("Switchboard", StringComparison.Ordinal)) ?? "(no Switchboard frame: host/Kestrel)";
            Add(byChain, $"{Short(type)}  <-  {Short(owner)}  <-  {Short(ours)}", amount);
            break;
        case GCHeapStatsTraceData heap:
            lastHeap = (GCHeapStatsTraceData)heap.Clone();
            break;
        case GCStartTraceData start:
            gcs[start.Depth] = gcs.GetValueOrDefault(start.Depth) + 1;
            break;
        default:
            if (e.EventName == "GC/SuspendEEStart") suspendedAt = e.TimeStampRelativeMSec;
            else if (e.EventName == "GC/RestartEEStop" && suspendedAt is { } at)
            {
                pauseMs += e.TimeStampRelativeMSec - at;
                suspendedAt = null;
            }
            break;
    }
}

var seconds = (last - first) / 1000;
var requests = rps * seconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"trace {seconds:0.0} s: {total / 1e6:0} MB allocated ({total / 1e6 / seconds:0.0} MB/s)")
    + (requests > 0 ? string.Create(CultureInfo.InvariantCulture, $", about {total / requests:0} B per request at {rps:0} req/s") : ""));
Console.WriteLine("GCs: " + string.Join(", ", gcs.Select(g => string.Create(CultureInfo.InvariantCulture, $"gen{g.Key} {g.Value} ({g.Value / seconds:0.0}/s)")))
    + string.Create(CultureInfo.InvariantCulture, $"; paused {pauseMs:0} ms in all ({pauseMs / seconds / 10:0.00} % of the time)"));
if (lastHeap is { } h)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"managed heap after the last GC: gen0 {h.GenerationSize0 / 1048576.0:0.0} MiB, gen1 {h.GenerationSize1 / 1048576.0:0.0} MiB, ")
        + string.Create(CultureInfo.InvariantCulture,
        $"gen2 {h.GenerationSize2 / 1048576.0:0.0} MiB, LOH {h.GenerationSize3 / 1048576.0:0.0} MiB, POH {h.GenerationSize4 / 1048576.0:0.0} MiB"));
}
if (total == 0) return;
Top("Bytes by type", byType, 20);
Top("Bytes by allocating method", byMethod, 25);
Top("Bytes by type <- allocating method <- nearest Switchboard frame", byChain, 35);

void Top(string title, Dictionary<string, double> table, int count)
{
    Console.WriteLine();
    Console.WriteLine(title + (requests > 0 ? " (share, bytes per request)" : " (share)"));
    foreach (var (key, value) in table.OrderByDescending(kv => kv.Value).Take(count))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value / total * 100,5:0.0}%")
            + (requests > 0 ? string.Create(CultureInfo.InvariantCulture, $" {value / requests,6:0} B") : "") + "  " + key);
    }
}

static void Add(Dictionary<string, double> table, string key, double amount) => table[key] = table.GetValueOrDefault(key) + amount;

// Drops argument lists and the long generic noise so that lines stay readable.
static string Short(string name)
{
    var paren = name.IndexOf('(', StringComparison.Ordinal);
    return (paren > 0 ? name[..paren] : name).Replace("System.Threading.Tasks.", "", StringComparison.Ordinal)
        .Replace("System.Runtime.CompilerServices.", "", StringComparison.Ordinal);
}
