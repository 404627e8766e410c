using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Errors;
using Switchboard.Providers;

namespace Switchboard.Streaming;

/// <summary>Writing an event that is forwarded as received, or its scrubbed stand-in (the forwarding strategies share it).</summary>
internal static class ForwardedEvent
{
    /// <summary>The event's own bytes, or <paramref name="replacement"/> when the strategy rewrote it.</summary>
    public static void Write(PipeWriter output, in ReadOnlySequence<byte> sseEvent, byte[]? replacement)
    {
        if (replacement is not null)
        {
            output.Write(replacement);
            return;
        }
        foreach (var segment in sseEvent) output.Write(segment.Span);
    }

    /// <summary>
    /// An upstream error event again (<c>event:</c> name when it had one, and <c>data:</c>), its JSON's strings scrubbed
    /// of the provider's key: upstreams echo keys, and the gateway never relays a secret.
    /// </summary>
    public static byte[] Scrubbed(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, UpstreamProvider provider)
    {
        var json = SecretScrubber.ScrubJson(data, provider.Config.ApiKey);
        var frame = new List<byte>(json.Length + name.Length + 16);
        if (!name.IsEmpty)
        {
            frame.AddRange("event: "u8);
            frame.AddRange(name);
            frame.Add((byte)'\n');
        }
        frame.AddRange("data: "u8);
        frame.AddRange(json);
        frame.AddRange("\n\n"u8);
        return [.. frame];
    }
}
