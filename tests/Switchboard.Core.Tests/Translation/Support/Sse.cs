namespace Switchboard.Core.Tests.Translation.Support;

/// <summary>Minimal SSE framing for tests: the <c>data:</c> payloads of a stream, in order.</summary>
public static class Sse
{
    /// <summary>Payloads of every <c>data:</c> line, <c>[DONE]</c> included.</summary>
    public static List<string> DataPayloads(string text)
    {
        var payloads = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                payloads.Add(line[5..].TrimStart(' '));
            }
        }
        return payloads;
    }

    /// <summary>Payloads without the closing <c>[DONE]</c>.</summary>
    public static List<string> Chunks(string text) =>
        DataPayloads(text).Where(p => p != "[DONE]").ToList();

    /// <summary>Splits writer output into payloads, checking each frame is exactly <c>data: {json}\n\n</c>.</summary>
    public static List<string> FramesOf(byte[] output)
    {
        var text = Encoding.UTF8.GetString(output);
        var frames = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf("\n\n", start, StringComparison.Ordinal);
            Assert.True(end > start, $"frame at {start} is not terminated by a blank line");
            var frame = text[start..end];
            Assert.StartsWith("data: ", frame);
            Assert.DoesNotContain('\n', frame);
            frames.Add(frame["data: ".Length..]);
            start = end + 2;
        }
        return frames;
    }
}
