using Microsoft.AspNetCore.Http;
using Switchboard.Errors;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>The errors of stored responses, in OpenAI's words where OpenAI has them (an id echoed is the caller's own input).</summary>
public static class StoredResponseErrors
{
    /// <summary>A <c>previous_response_id</c> that is unknown, expired, deleted or another key's.</summary>
    public static GatewayError PreviousNotFound(string id) => new(StatusCodes.Status404NotFound, "invalid_request_error", "previous_response_not_found",
        $"Previous response with id '{id}' not found.", ErrorDisposition.ClientFault, "previous_response_id");

    /// <summary>A response id that is unknown, expired, deleted or another key's (GET, DELETE, input_items).</summary>
    public static GatewayError NotFound(string id) => GatewayError.NotFound($"Response with id '{id}' not found.");

    /// <summary><c>GET /responses/{id}?stream=true</c>: only background responses can be streamed again, in OpenAI's words.</summary>
    public static readonly GatewayError NotStreamable = GatewayError.InvalidRequest(
        "This response cannot be streamed because it was not created with background=true.", "stream");

    /// <summary>The database cannot be read: the request cannot be continued or answered now.</summary>
    public static readonly GatewayError Unavailable = new(StatusCodes.Status503ServiceUnavailable, "server_error", "stored_responses_unavailable",
        "Stored responses cannot be read right now (the gateway's database is unreachable); try again shortly.", ErrorDisposition.Gateway);
}
