using System.Globalization;
using Switchboard.Fuzz;

// dotnet run --project tools/Switchboard.Fuzz -- --url http://127.0.0.1:4000 --key KEY [--master-key MK] [--seed 1]
//   [--requests 10000] [--concurrency 16] [--case N [--dump FILE]] [--allow-upstream-5xx]
// Exit code 0 when every answer passed, 1 on any failure, 2 on bad arguments.
var values = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--allow-upstream-5xx") flags.Add(args[i]);
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) values[args[i]] = args[++i];
    else
    {
        await Console.Error.WriteLineAsync($"unexpected argument '{args[i]}'");
        return 2;
    }
}
if (!values.TryGetValue("--url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
{
    await Console.Error.WriteLineAsync("usage: --url http://127.0.0.1:4000 --key KEY [--master-key MK] [--seed 1] [--requests 10000] [--concurrency 16] [--case N [--dump FILE]] [--allow-upstream-5xx]");
    return 2;
}
int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
var options = new FuzzOptions
{
    Url = uri,
    Key = values.GetValueOrDefault("--key") ?? Environment.GetEnvironmentVariable("SWITCHBOARD_FUZZ_KEY"),
    MasterKey = values.GetValueOrDefault("--master-key") ?? Environment.GetEnvironmentVariable("SWITCHBOARD_MASTER_KEY"),
    Seed = Int("--seed", 1),
    Requests = Int("--requests", 10_000),
    Concurrency = Int("--concurrency", 16),
    Case = values.ContainsKey("--case") ? Int("--case", 0) : null,
    AllowUpstream5xx = flags.Contains("--allow-upstream-5xx"),
    Dump = values.ContainsKey("--case") ? values.GetValueOrDefault("--dump") : null,
};
var report = await FuzzRunner.RunAsync(options, Console.Out);
Console.Write(report.Summary());
return report.Failures.IsEmpty ? 0 : 1;
