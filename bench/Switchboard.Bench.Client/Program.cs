using Switchboard.Bench.Client;

const string Usage = """
    usage: Switchboard.Bench.Client <command> [--option value]...

      latency --url URL [--dialect openai] [--key K] [--model bench] [--concurrency 1] [--warmup 2s] [--duration 10s] [--max-requests N] [--out FILE]
          closed-loop non-streaming requests; every latency (send → last byte, µs) to FILE
      stream  --url URL [--dialect openai] [--key K] [--model bench] [--streams 30] [--warmup 3] [--warmup-concurrency 1] [--chunks 20] [--interval-ms 10] [--out-dir DIR] [--tag T]
          one stream at a time: time to first byte and first token, per-chunk relay latency, inter-chunk gaps
          (DIR/{ttfb,ttft,ttftnet,chunk,gap}-T.txt). Several targets: --url A,B,C --tag a,b,c (--dialect and --model:
          one value for all or one per URL), measured round-robin (stream i of each target before stream i+1 of any)
      body    [--dialect openai] [--model bench] [--stream true|false]
          print the request body the other commands send (for wrk)
      hold    --url URL [--key K] [--streams 5000] [--ramp-per-sec 1000] [--chunks 30] [--interval-ms 1000] [--ready-file F] [--timeout 5m]
          hold that many slow streams open at once (memory test)
      report  --raw DIR [--out FILE]
          the markdown tables from a run.sh raw directory (paths.txt lists the translation paths)

    --dialect openai|anthropic|gemini: the request's shape and key header (Authorization: Bearer; x-api-key and
    anthropic-version; x-goog-api-key). For gemini the URL names the model and the operation (:generateContent, or
    :streamGenerateContent?alt=sse for stream).
      summary FILE...
          percentiles of sample files (pooled)
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
try
{
    return args[0] switch
    {
        "latency" => await LatencyCommand.RunAsync(new Args(args[1..])),
        "stream" => await StreamCommand.RunAsync(new Args(args[1..])),
        "hold" => await HoldCommand.RunAsync(new Args(args[1..])),
        "report" => ReportCommand.Run(new Args(args[1..])),
        "body" => PrintBody(new Args(args[1..])),
        "summary" => Summary(args[1..]),
        _ => throw new ArgumentException($"unknown command '{args[0]}'"),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

static int PrintBody(Args a)
{
    var dialect = Http.ParseDialect(a.Text("--dialect"));
    var model = a.Text("--model", "bench");
    var stream = a.Text("--stream", "false") == "true";
    a.EnsureAllUsed();
    Console.Out.Write(System.Text.Encoding.UTF8.GetString(Http.Body(dialect, model, stream)));
    return 0;
}

static int Summary(string[] files)
{
    Console.WriteLine(new Percentiles(Percentiles.ReadSamples(files)).Describe("us"));
    return 0;
}
