using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>The top of a Responses response object: identity, status and usage (the rest is output and echo).</summary>
internal sealed record ResponsesClientHead(string Id, long CreatedAt, string Model, string Status)
{
    /// <summary><c>incomplete_details.reason</c> (<c>max_output_tokens</c>, <c>content_filter</c>) when incomplete.</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>The failure, when <see cref="Status"/> is <c>failed</c>.</summary>
    public StreamErrorEvent? Error { get; init; }

    public Translation.Canonical.Usage? Usage { get; init; }
}
