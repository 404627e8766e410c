using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Http;

namespace Switchboard.Limits;

/// <summary>
/// Counts what reaches the client through the response's <see cref="PipeWriter"/> (bytes and flushes), so a stream
/// the client aborts before the upstream reported usage can still be billed for what it produced. Installed for every
/// admitted request (one small object; a virtual call per write and flush). Every relay flushes once per event, so flushes count
/// streamed events (about one token each for OpenAI-style streams).
/// </summary>
internal sealed class OutputCounter : ForwardingResponseBodyFeature
{
    private readonly CountingWriter _writer;

    private OutputCounter(IHttpResponseBodyFeature inner) : base(inner)
    {
        _writer = new CountingWriter(inner.Writer);
    }

    public static OutputCounter? Install(HttpContext context)
    {
        if (context.Features.Get<IHttpResponseBodyFeature>() is not { } inner) return null;
        var counter = new OutputCounter(inner);
        context.Features.Set<IHttpResponseBodyFeature>(counter);
        return counter;
    }

    public long Bytes => _writer.Bytes;
    public long Flushes => _writer.Flushes;

    public override PipeWriter Writer => _writer;

    private sealed class CountingWriter(PipeWriter inner) : PipeWriter
    {
        public long Bytes;
        public long Flushes;

        public override void Advance(int bytes)
        {
            Bytes += bytes;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Flushes++;
            return inner.FlushAsync(cancellationToken);
        }
    }
}
