using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Http;

/// <summary>
/// A response body feature that hands everything to the server's own but the writer (and, if it likes, the stream):
/// the base of the decorators that see what a client is sent (<c>OutputCounter</c>, <c>ResponseCapture</c>).
/// </summary>
internal abstract class ForwardingResponseBodyFeature(IHttpResponseBodyFeature inner) : IHttpResponseBodyFeature
{
    protected IHttpResponseBodyFeature Inner => inner;

    public virtual Stream Stream => inner.Stream;
    public abstract PipeWriter Writer { get; }
    public void DisableBuffering() => inner.DisableBuffering();
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);
    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);
    public Task CompleteAsync() => inner.CompleteAsync();
}
