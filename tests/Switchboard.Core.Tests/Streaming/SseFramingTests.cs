using System.Buffers;
using Switchboard.Streaming;

namespace Switchboard.Core.Tests.Streaming;

public sealed class SseFramingTests
{
    private static List<string> Frame(ReadOnlySequence<byte> buffer, out string rest)
    {
        var events = new List<string>();
        while (SseFraming.TryReadEvent(ref buffer, out var e)) events.Add(Encoding.UTF8.GetString(e.ToArray()));
        rest = Encoding.UTF8.GetString(buffer.ToArray());
        return events;
    }

    [Fact]
    public void Splits_lf_and_crlf_events_and_keeps_their_exact_bytes()
    {
        var events = Frame(new ReadOnlySequence<byte>("data: a\n\ndata: b\r\n\r\n: comment\n\ndata: partial"u8.ToArray()), out var rest);
        Assert.Equal(["data: a\n\n", "data: b\r\n\r\n", ": comment\n\n"], events);
        Assert.Equal("data: partial", rest);
    }

    [Fact]
    public void Finds_events_split_across_buffer_segments()
    {
        var sequence = Segments("data: {\"a\"", ":1}\n", "\ndata: [DONE]\n", "\n");
        Assert.Equal(["data: {\"a\":1}\n\n", "data: [DONE]\n\n"], Frame(sequence, out var rest));
        Assert.Equal("", rest);
    }

    [Fact]
    public void Data_of_single_and_multi_line_events()
    {
        byte[]? scratch = null;
        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(SseFraming.GetData(new ReadOnlySequence<byte>("data: {\"x\":1}\n\n"u8.ToArray()), ref scratch)));
        Assert.Equal("a\nb", Encoding.UTF8.GetString(SseFraming.GetData(new ReadOnlySequence<byte>("event: x\r\ndata:a\r\ndata: b\r\n\r\n"u8.ToArray()), ref scratch)));
        Assert.True(SseFraming.GetData(new ReadOnlySequence<byte>(": keep-alive\n\n"u8.ToArray()), ref scratch).IsEmpty);
        Assert.Equal("[DONE]", Encoding.UTF8.GetString(SseFraming.GetData(Segments("da", "ta: [DO", "NE]\n\n"), ref scratch)));
    }

    [Theory]
    [InlineData("{\"finish_reason\":\"stop\"}", true)]
    [InlineData("{\"finish_reason\": \"stop\"}", true)]
    [InlineData("{\"finish_reason\":null}", false)]
    [InlineData("{\"finish_reason\" : null,\"x\":{\"finish_reason\":\"length\"}}", true)]
    [InlineData("{\"text\":\"finish_reason\"}", false)]
    public void Property_scan_tells_null_from_a_value(string json, bool expected) =>
        Assert.Equal(expected, ForwardAndScanUsage.HasProperty(Encoding.UTF8.GetBytes(json), "\"finish_reason\""u8, nullAllowed: false));

    private static ReadOnlySequence<byte> Segments(params string[] parts)
    {
        Segment? first = null, last = null;
        foreach (var part in parts)
        {
            var segment = new Segment(Encoding.UTF8.GetBytes(part));
            if (first is null) first = last = segment;
            else last = last!.Append(segment);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
            return next;
        }
    }
}
