namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// Where stored responses live (the database, in <c>Switchboard.Storage</c>). Every read is scoped to an owner and a
/// moment: a response that is missing, expired or another owner's is not found, and nothing tells those apart.
/// </summary>
public interface IResponseStore
{
    /// <summary>Queues <paramref name="response"/> for writing, off the request path; readable at once. Never blocks or throws.</summary>
    void Save(StoredResponse response);

    /// <summary>The response, or null.</summary>
    ValueTask<StoredResponse?> FindAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The response and the ones it continues, newest first, following <c>previous_response_id</c> until one is
    /// missing (deleted or expired); empty when the response itself is not found.
    /// </summary>
    ValueTask<IReadOnlyList<StoredResponse>> FindChainAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes the response; false when it was not found.</summary>
    ValueTask<bool> DeleteAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken);
}
