using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Http;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// Tees what the client is sent, as ASP.NET Core's response caching tees a body: every write goes on to the client
/// unchanged and at once (nothing is held back or delayed), and a copy feeds a <see cref="CapturedResponse"/> that
/// keeps only the final response object. Installed for a Responses request that is to be stored.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The tee stream wraps the server's body stream, which the server owns and disposes.")]
internal sealed class ResponseCapture : ForwardingResponseBodyFeature
{
    private readonly HttpResponse _response;
    private readonly TeeWriter _writer;
    private readonly TeeStream _stream;
    private CapturedResponse? _capture;

    private ResponseCapture(IHttpResponseBodyFeature inner, HttpResponse response, int maxBytes) : base(inner)
    {
        _response = response;
        MaxBytes = maxBytes;
        _writer = new TeeWriter(inner.Writer, this);
        _stream = new TeeStream(inner.Stream, this);
    }

    public int MaxBytes { get; }

    public static ResponseCapture? Install(HttpContext context, int maxBytes)
    {
        if (context.Features.Get<IHttpResponseBodyFeature>() is not { } inner) return null;
        var capture = new ResponseCapture(inner, context.Response, maxBytes);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        return capture;
    }

    /// <summary>The response object the client was sent (a JSON answer, or the stream's final response event's <c>response</c>); null when none, or too large.</summary>
    public ResponseObject? TakeResponse() => _capture?.TakeResponse();

    /// <summary>Sees bytes on their way to the client; what they are is decided by the content type, once the first are written.</summary>
    private void Observe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        _capture ??= CapturedResponse.For(_response.ContentType, MaxBytes);
        _capture.Write(bytes);
    }

    public override Stream Stream => _stream;
    public override PipeWriter Writer => _writer;

    /// <summary>The client's writer; each <see cref="Advance"/> copies what was just written into the buffer it handed out.</summary>
    private sealed class TeeWriter(PipeWriter inner, ResponseCapture owner) : PipeWriter
    {
        private Memory<byte> _handedOut;

        public override void Advance(int bytes)
        {
            owner.Observe(_handedOut.Span[..bytes]);
            _handedOut = default;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _handedOut = inner.GetMemory(sizeHint);

        // The span comes from the same memory, kept so Advance can see what was written into it.
        public override Span<byte> GetSpan(int sizeHint = 0) => (_handedOut = inner.GetMemory(sizeHint)).Span;

        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }

    /// <summary>The client's body stream, for writers that use <see cref="HttpResponse.Body"/>.</summary>
    private sealed class TeeStream(Stream inner, ResponseCapture owner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            owner.Observe(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            owner.Observe(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
