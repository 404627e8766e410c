using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Pipeline;

/// <summary>
/// <c>--tokens</c>: what counting a request's prompt tokens costs (TokenCounter.CountRequestBody, the admission-time
/// count), for request bodies of three sizes built from the repository's own docs (real English and code), next to
/// the byte-length estimate it replaced: at first sight, and with its long texts' counts remembered (a client sending
/// the same system prompt, tools and conversation again). Run from the repository root (it reads docs/*.md).
/// </summary>
internal static class TokenBench
{
    public static void Run()
    {
        var text = string.Concat(Directory.GetFiles("docs", "*.md").Order(StringComparer.Ordinal).Select(File.ReadAllText));
        var started = Stopwatch.GetTimestamp();
        var counter = TokenCounter.For("gpt-4o");
        counter.Count("warm up");
        Console.WriteLine($"o200k_base load (first use): {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");

        Console.WriteLine("| request body | bytes | tokens | first sight | texts remembered | bytes/4 estimate was |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, body) in new[]
        {
            ("one short message", Chat(text, system: 0, turns: 1, turnChars: 40, tools: 0)),
            ("system prompt + 4 turns (~4 KB)", Chat(text, system: 2_000, turns: 4, turnChars: 400, tools: 0)),
            ("Claude-Code-like: 20 KB system, 15 tools, 30 turns (~80 KB)", Chat(text, system: 20_000, turns: 30, turnChars: 1_500, tools: 15)),
        })
        {
            var tokens = counter.CountRequestBody(body);
            var iterations = Math.Max(20, 2_000_000 / body.Length);
            // First sight: forget every remembered count before each call, then take the forgetting's own cost off.
            var cold = Median(iterations, () => { counter.Forget(); counter.CountRequestBody(body); }) - Median(iterations, counter.Forget);
            var warm = Median(iterations, () => counter.CountRequestBody(body));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {body.Length:N0} | {tokens:N0} | {cold:F1} µs | {warm:F1} µs | {(body.Length + 3) / 4:N0} tokens |"));
        }
    }

    /// <summary>Microseconds per call: the median of 7 runs of <paramref name="iterations"/> calls.</summary>
    private static double Median(int iterations, Action count)
    {
        var runs = new List<double>();
        for (var run = 0; run < 7; run++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++) count();
            runs.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / iterations);
        }
        runs.Sort();
        return runs[3];
    }

    /// <summary>An OpenAI chat body: a system prompt, alternating turns and function tools, with texts cut from <paramref name="source"/>.</summary>
    private static byte[] Chat(string source, int system, int turns, int turnChars, int tools)
    {
        var offset = 0;
        string Next(int chars)
        {
            if (offset + chars > source.Length) offset = 0;
            var slice = source.Substring(offset, chars);
            offset += chars;
            return slice;
        }
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("model", "gpt-4o");
            json.WriteNumber("max_tokens", 32000);
            json.WriteStartArray("messages");
            if (system > 0) Message(json, "system", Next(system));
            for (var i = 0; i < turns; i++) Message(json, i % 2 == 0 ? "user" : "assistant", Next(turnChars));
            json.WriteEndArray();
            if (tools > 0)
            {
                json.WriteStartArray("tools");
                for (var i = 0; i < tools; i++)
                {
                    json.WriteStartObject();
                    json.WriteString("type", "function");
                    json.WriteStartObject("function");
                    json.WriteString("name", $"tool_{i}");
                    json.WriteString("description", Next(600));
                    json.WriteStartObject("parameters");
                    json.WriteString("type", "object");
                    json.WriteStartObject("properties");
                    foreach (var property in new[] { "path", "pattern", "limit" })
                    {
                        json.WriteStartObject(property);
                        json.WriteString("type", "string");
                        json.WriteString("description", Next(120));
                        json.WriteEndObject();
                    }
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void Message(Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }
}
