using System.IO.Pipelines;

namespace Switchboard.Streaming;

/// <summary>How every stream relay reads an upstream's body.</summary>
internal static class UpstreamPipe
{
    /// <summary>
    /// 8 KiB segments, at least 2 KiB per read, and zero-byte reads: a stream waiting for the upstream's next event
    /// holds no buffer while it waits (thousands of slow streams, each idle most of the time, hold little memory).
    /// The reader owns and disposes the upstream stream.
    /// </summary>
    public static readonly StreamPipeReaderOptions Options =
        new(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: false, useZeroByteReads: true);

    public static PipeReader Reader(Stream upstream) => PipeReader.Create(upstream, Options);
}
