namespace Switchboard.Bench.Upstream;

/// <summary>Command-line knobs of the bench upstream; every request may override the per-request ones in its body.</summary>
public sealed record UpstreamOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 4100;
    /// <summary>Wait before answering (non-stream: before the JSON; stream: before the first chunk).</summary>
    public int DelayMs { get; init; }
    /// <summary>Content chunks per stream (OpenAI: the role, finish and usage chunks and [DONE] come on top; Anthropic: the
    /// head and tail events; Gemini: every chunk has content).</summary>
    public int Chunks { get; init; } = 20;
    /// <summary>Gap between two content chunks.</summary>
    public int ChunkIntervalMs { get; init; } = 10;

    public const string Usage = """
        usage: Switchboard.Bench.Upstream [--host 127.0.0.1] [--port 4100] [--delay-ms 0] [--chunks 20] [--chunk-interval-ms 10]

        POST /v1/chat/completions (also /chat/completions) answers a fixed chat.completion, or with "stream":true
        an OpenAI chunk stream: role chunk, --chunks content chunks --chunk-interval-ms apart, finish chunk,
        usage chunk (when stream_options.include_usage is true) and [DONE]. Every chunk's "obfuscation" field
        carries the upstream's monotonic send time in Stopwatch ticks (19 digits), so a client on the same host can
        measure each chunk's one-way relay latency. A request may override the knobs with top-level body fields
        bench_delay_ms, bench_chunks and bench_chunk_interval_ms (a gateway relays unknown fields untouched when it
        passes the body through; a translated request loses them, and then the command-line values apply). A model
        id ending in "-text-stamp" moves the send time into the content text ("[t=<19 digits>]" before each token),
        where it survives a gateway's translation of the stream.

        POST /v1/messages answers an Anthropic Message, or with "stream":true the Messages event stream:
        message_start, content_block_start and ping at once, --chunks content_block_delta events
        --chunk-interval-ms apart (text-stamped), content_block_stop, message_delta and message_stop.

        POST /v1beta/models/{model}:generateContent answers a Gemini GenerateContentResponse;
        :streamGenerateContent?alt=sse sends --chunks chunks --chunk-interval-ms apart, the first at once
        (text-stamped; the last with finishReason and the full usageMetadata).
        GET /health answers 200.
        """;

    /// <summary>Parses the command line; returns null and prints why on a bad argument.</summary>
    public static UpstreamOptions? Parse(string[] args, TextWriter error)
    {
        var options = new UpstreamOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error.WriteLine($"missing value for {name}\n{Usage}");
                return null;
            }
            var value = args[++i];
            var number = int.TryParse(value, out var parsed) ? parsed : -1;
            options = name switch
            {
                "--host" => options with { Host = value },
                "--port" when number is >= 0 and <= 65535 => options with { Port = number },
                "--delay-ms" when number >= 0 => options with { DelayMs = number },
                "--chunks" when number >= 0 => options with { Chunks = number },
                "--chunk-interval-ms" when number >= 0 => options with { ChunkIntervalMs = number },
                _ => null!,
            };
            if (options is null)
            {
                error.WriteLine($"unknown or invalid option {name} {value}\n{Usage}");
                return null;
            }
        }
        return options;
    }
}
