using Yarp.ReverseProxy.Forwarder;

namespace Switchboard.Bench.Floor;

/// <summary>YARP's default request copy, with the client's key replaced by the upstream's (as any gateway must).</summary>
internal sealed class KeySwapTransformer(string upstreamKey) : HttpTransformer
{
    private readonly string _authorization = "Bearer " + upstreamKey;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Remove("Authorization");
        proxyRequest.Headers.TryAddWithoutValidation("Authorization", _authorization);
    }
}
