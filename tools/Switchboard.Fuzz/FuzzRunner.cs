using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchboard.Fuzz;

/// <summary>How to run: where the gateway is, with which keys, how many cases of which seed.</summary>
public sealed record FuzzOptions
{
    public required Uri Url { get; init; }
    public string? Key { get; init; }
    public string? MasterKey { get; init; }
    public int Seed { get; init; } = 1;
    public int Requests { get; init; } = 10_000;
    public int Concurrency { get; init; } = 16;
    /// <summary>Send only this case (reproduce a failure).</summary>
    public int? Case { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public bool AllowUpstream5xx { get; init; }
    /// <summary>With <see cref="Case"/>: also write that case's raw request bytes to this file.</summary>
    public string? Dump { get; init; }
}

/// <summary>One case that broke a rule, with what is needed to send it again.</summary>
public sealed record FuzzFailure(int Seed, int Index, string Endpoint, string Mutation, string Path, int? Status, string Problem);

/// <summary>A run's outcome: counts per status, per endpoint and per mutation, Kestrel's own rejections, failures.</summary>
public sealed class FuzzReport
{
    public int Seed { get; init; }
    public int Sent { get; set; }
    public TimeSpan Elapsed { get; set; }
    public ConcurrentDictionary<int, int> ByStatus { get; } = new();
    public ConcurrentDictionary<string, int> ByEndpoint { get; } = new();
    public ConcurrentDictionary<string, int> ByMutation { get; } = new();
    private int _kestrelRejections;

    public int KestrelRejections => _kestrelRejections;

    public void CountKestrelRejection() => Interlocked.Increment(ref _kestrelRejections);
    public ConcurrentBag<FuzzFailure> Failures { get; } = [];

    public string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {Seed}: {Sent} requests in {Elapsed.TotalSeconds:F1} s, {Failures.Count} failures, "
            + $"{KestrelRejections} answered by Kestrel before the gateway (malformed request line or headers)");
        text.AppendLine("by status:   " + string.Join("  ", ByStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}")));
        text.AppendLine("by mutation: " + string.Join("  ", ByMutation.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}")));
        text.AppendLine("by endpoint:");
        foreach (var (endpoint, count) in ByEndpoint.OrderBy(p => p.Key, StringComparer.Ordinal)) text.AppendLine($"  {count,6}  {endpoint}");
        foreach (var f in Failures.OrderBy(f => f.Index).Take(50))
        {
            text.AppendLine($"FAIL --seed {f.Seed} --case {f.Index}  [{f.Mutation}] {f.Endpoint} -> {f.Path}: {f.Status?.ToString() ?? "-"} {f.Problem}");
        }
        if (Failures.Count > 50) text.AppendLine($"… and {Failures.Count - 50} more failures");
        return text.ToString();
    }
}

/// <summary>Discovers the gateway's models, then sends the seeded cases with bounded concurrency and checks every answer.</summary>
public static class FuzzRunner
{
    public static async Task<FuzzReport> RunAsync(FuzzOptions options, TextWriter? progress = null)
    {
        var models = await DiscoverModelsAsync(options);
        var targets = new FuzzTargets($"{options.Url.Host}:{options.Url.Port}", options.Key, options.MasterKey, models);
        var generator = new CaseGenerator(targets, options.Seed);
        var report = new FuzzReport { Seed = options.Seed };
        var indexes = options.Case is { } only ? [only] : Enumerable.Range(0, options.Requests).ToArray();
        var clock = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(indexes, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (index, cancel) =>
        {
            var fuzzCase = generator.Create(index);
            if (options.Dump is not null) await File.WriteAllBytesAsync(options.Dump, fuzzCase.Request, cancel);
            RawResponse? response;
            string? timedOut = null;
            try
            {
                response = await RawHttp.SendAsync(options.Url.Host, options.Url.Port, fuzzCase.Request, fuzzCase.HalfClose, options.Timeout);
            }
            catch (OperationCanceledException)
            {
                response = null;
                timedOut = $"no answer within {options.Timeout.TotalSeconds:F0} s (a hang)";
            }
            report.ByStatus.AddOrUpdate(response?.Status ?? 0, 1, (_, n) => n + 1);
            report.ByEndpoint.AddOrUpdate(fuzzCase.Endpoint, 1, (_, n) => n + 1);
            report.ByMutation.AddOrUpdate(fuzzCase.Mutation, 1, (_, n) => n + 1);
            if (fuzzCase.ProtocolLevel && response is not null && ResponseCheck.IsKestrelRejection(response)) report.CountKestrelRejection();
            if ((timedOut ?? ResponseCheck.Problem(fuzzCase, response, options.AllowUpstream5xx)) is { } problem)
            {
                report.Failures.Add(new FuzzFailure(options.Seed, index, fuzzCase.Endpoint, fuzzCase.Mutation, fuzzCase.Path, response?.Status, problem));
            }
            var n = Interlocked.Increment(ref done);
            if (progress is not null && n % 1000 == 0) await progress.WriteLineAsync($"{n} / {indexes.Length}");
        });
        report.Sent = indexes.Length;
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>The model names the key may use (GET /v1/models), so most cases reach routing and translation.</summary>
    private static async Task<List<string>> DiscoverModelsAsync(FuzzOptions options)
    {
        using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(10) };
        if (options.Key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
        using var response = await http.GetAsync(new Uri("/v1/models", UriKind.Relative));
        if (!response.IsSuccessStatusCode) return [];
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
    }
}
