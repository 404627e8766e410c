namespace Switchboard.Providers;

/// <summary>
/// An upstream that counts a request's input tokens itself (Anthropic's <c>/v1/messages/count_tokens</c>): a client of
/// the same wire asking to count gets the upstream's own count instead of the gateway's estimate.
/// </summary>
public interface IUpstreamTokenCounter
{
    /// <summary>Where the upstream counts tokens; the body is the client's request in the upstream's wire.</summary>
    Uri CountTokensUri { get; }
}
