using System.Buffers;
using System.Text.RegularExpressions;
using Switchboard.Providers.OpenAI.Responses;
using Switchboard.Streaming;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// The recorded Responses API streams of shared/fixtures/openai-responses (read in place): one event's JSON per line,
/// several responses one after another in some files. Each response is framed here as the SSE the API sends
/// (<c>event: type</c>, <c>data: json</c>) and read back through <see cref="SseFraming"/> and
/// <see cref="ResponsesStreamReader"/> into a <see cref="StreamTranscript"/>.
/// </summary>
internal static partial class ResponsesUpstreamRecordings
{
    public const string Folder = "openai-responses";

    public static IEnumerable<object[]> StreamFiles(params string[] except) => SharedFixtures.Directory is null
        ? []
        : Directory.GetFiles(Path.Combine(SharedFixtures.Directory, Folder), "*.chunks.txt")
            .Select(Path.GetFileName)
            .Where(name => !except.Contains(name))
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });

    /// <summary>The file's responses, each as its event lines; a response begins at its <c>response.created</c>.</summary>
    public static List<List<string>> Streams(string file)
    {
        var streams = new List<List<string>>();
        foreach (var line in File.ReadAllLines(SharedFixtures.PathOf($"{Folder}/{file}")).Where(l => l.Length > 0))
        {
            if (streams.Count == 0 || line.StartsWith("{\"type\":\"response.created\"", StringComparison.Ordinal))
            {
                streams.Add([]);
            }
            streams[^1].Add(line);
        }
        return streams;
    }

    /// <summary>The lines as the API frames them on the wire.</summary>
    public static byte[] Sse(IEnumerable<string> lines) =>
        Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => $"event: {TypeOf(line)}\ndata: {line}\n\n")));

    /// <summary>The event's type, read with a pattern so malformed recorded lines can still be framed.</summary>
    public static string TypeOf(string line) => TypePattern().Match(line).Groups[1].Value;

    public static StreamTranscript Read(IEnumerable<string> lines)
    {
        var reader = new ResponsesStreamReader();
        var transcript = new StreamTranscript();
        var buffer = new ReadOnlySequence<byte>(Sse(lines));
        byte[]? scratch = null;
        while (SseFraming.TryReadEvent(ref buffer, out var frame))
        {
            var name = SseFraming.GetEventName(frame, ref scratch).ToArray();
            var data = SseFraming.GetData(frame, ref scratch).ToArray();
            var events = new List<StreamEvent>();
            if (reader.TryRead(name, data, events, out var error))
            {
                transcript.Add(events);
            }
            else
            {
                Assert.Empty(events);
                transcript.Refused.Add((Encoding.UTF8.GetString(name), error!));
            }
        }
        reader.Complete(transcript.Events);
        transcript.IsComplete = reader.IsComplete;
        return transcript;
    }

    [GeneratedRegex("\"type\":\"([^\"]+)\"")]
    private static partial Regex TypePattern();
}

/// <summary>What a client would put together from the canonical events of one stream.</summary>
internal sealed class StreamTranscript
{
    public List<StreamEvent> Events { get; } = [];

    public List<(string EventName, ValidationError Error)> Refused { get; } = [];

    public StringBuilder Text { get; } = new();

    public StringBuilder Refusal { get; } = new();

    public StringBuilder Thinking { get; } = new();

    public List<string> Signatures { get; } = [];

    public List<(string? Id, string Name, ToolCallKind Kind, StringBuilder Arguments)> Calls { get; } = [];

    private readonly Dictionary<int, int> _callByIndex = [];

    public List<string> ProviderBlocks { get; } = [];

    public List<StreamErrorEvent> Errors { get; } = [];

    public List<StreamStartEvent> Starts { get; } = [];

    public FinishReason? Finish { get; private set; }

    public Usage? Usage { get; private set; }

    public bool IsComplete { get; set; }

    public void Add(List<StreamEvent> events)
    {
        Events.AddRange(events);
        foreach (var e in events)
        {
            switch (e)
            {
                case StreamStartEvent start: Starts.Add(start); break;
                case TextDeltaEvent text: Text.Append(text.Text); break;
                case RefusalDeltaEvent refusal: Refusal.Append(refusal.Refusal); break;
                case ThinkingDeltaEvent thinking: Thinking.Append(thinking.Text); break;
                case SignatureDeltaEvent signature: Signatures.Add(signature.Signature); break;
                case ToolCallStartEvent call:
                    Assert.False(_callByIndex.ContainsKey(call.ToolIndex), $"tool index {call.ToolIndex} started twice");
                    _callByIndex[call.ToolIndex] = Calls.Count;
                    Calls.Add((call.Id, call.Name, call.Kind, new StringBuilder()));
                    break;
                case ToolCallArgumentsDeltaEvent delta:
                    Assert.True(_callByIndex.TryGetValue(delta.ToolIndex, out var at), $"arguments for unstarted tool index {delta.ToolIndex}");
                    Calls[at].Arguments.Append(delta.Fragment);
                    break;
                case ProviderBlockEvent block: ProviderBlocks.Add(block.Type); break;
                case StreamErrorEvent error: Errors.Add(error); break;
                case FinishEvent finish:
                    Assert.Null(Finish);
                    Finish = finish.Reason;
                    break;
                case UsageEvent usage: Usage = usage.Usage; break;
                default: break;
            }
            Assert.True(Starts.Count == 1, "the start event comes first, once");
        }
    }
}
