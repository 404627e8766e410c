namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// A response the gateway keeps for <c>GET /v1/responses/{id}</c>, its input items and <c>previous_response_id</c>.
/// </summary>
public sealed record StoredResponse
{
    /// <summary>The response's own <c>id</c> (the upstream's for a relayed one, the gateway's <c>resp_…</c> for a translated one).</summary>
    public required string Id { get; init; }

    /// <summary>Who may see it: <see cref="ResponseOwner.Of"/> the key that created it.</summary>
    public required string Owner { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>After this it is as if it never existed (and it is pruned).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The provider (config name) that answered.</summary>
    public required string Provider { get; init; }

    public required string UpstreamModel { get; init; }

    /// <summary>True when the provider answered through its own Responses API: it holds the conversation itself.</summary>
    public required bool Native { get; init; }

    public string? PreviousResponseId { get; init; }

    /// <summary>This request's input items as a JSON array (a string input as one user message item).</summary>
    public required string InputItemsJson { get; init; }

    /// <summary>The response object as the client received it (JSON).</summary>
    public required string ResponseJson { get; init; }
}
