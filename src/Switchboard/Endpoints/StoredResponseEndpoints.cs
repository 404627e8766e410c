using System.Globalization;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers.OpenAI.Responses.Stored;

namespace Switchboard.Endpoints;

/// <summary>
/// The stored responses of the Responses API (with and without <c>/v1</c>): <c>GET</c> and <c>DELETE
/// /responses/{id}</c>, <c>GET /responses/{id}/input_items</c>. A response is its creating key's: for any other key,
/// as for an unknown or expired id, it does not exist (404).
/// </summary>
public static class StoredResponseEndpoints
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    public static void MapStoredResponseEndpoints(this WebApplication app)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["/v1", ""])
        {
            app.MapGet(prefix + "/responses/{id}", GetAsync);
            app.MapDelete(prefix + "/responses/{id}", DeleteAsync);
            app.MapGet(prefix + "/responses/{id}/input_items", ListInputItemsAsync);
        }
    }

    /// <remarks>
    /// <c>?stream=true</c> replays a background response's events on OpenAI; the gateway runs no background responses,
    /// so it answers as OpenAI does for any other response: 400 on <c>stream</c>, never the JSON a stream reader cannot read.
    /// </remarks>
    private static Task GetAsync(HttpContext context, string id, RuntimeHolder runtimes, IResponseStore store, TimeProvider time)
    {
        var stream = context.Request.Query["stream"].ToString();
        if (stream is not ("" or "true" or "false"))
        {
            return ErrorResponses.WriteOpenAIAsync(context.Response,
                GatewayError.InvalidRequest("Invalid 'stream': expected a boolean ('true' or 'false').", "stream"));
        }
        return WithResponseAsync(context, id, runtimes, store, time, async response =>
        {
            if (stream == "true")
            {
                await ErrorResponses.WriteOpenAIAsync(context.Response, StoredResponseErrors.NotStreamable);
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.ResponseJson, context.RequestAborted);
        });
    }

    private static async Task DeleteAsync(HttpContext context, string id, RuntimeHolder runtimes, IResponseStore store, TimeProvider time)
    {
        if (await OwnerAsync(context, runtimes, time) is not { } owner) return;
        bool deleted;
        try
        {
            deleted = await store.DeleteAsync(id, owner, time.GetUtcNow(), context.RequestAborted);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, StoredResponseErrors.Unavailable);
            return;
        }
        if (!deleted)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, StoredResponseErrors.NotFound(id));
            return;
        }
        using var body = new PooledBuffer(96 + id.Length);
        using (var json = new System.Text.Json.Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            json.WriteString("object"u8, "response"u8);
            json.WriteBoolean("deleted"u8, true);
            json.WriteEndObject();
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body.Memory, context.RequestAborted);
    }

    private static Task ListInputItemsAsync(HttpContext context, string id, RuntimeHolder runtimes, IResponseStore store, TimeProvider time)
    {
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return ErrorResponses.WriteOpenAIAsync(context.Response,
                GatewayError.InvalidRequest($"Invalid 'limit': expected a whole number from 1 to {MaxLimit}.", "limit"));
        }
        var order = query["order"].ToString();
        if (order is not ("" or "asc" or "desc"))
        {
            return ErrorResponses.WriteOpenAIAsync(context.Response,
                GatewayError.InvalidRequest("Invalid 'order': expected 'asc' or 'desc'.", "order"));
        }
        var after = query["after"].ToString() is { Length: > 0 } cursor ? cursor : null;
        return WithResponseAsync(context, id, runtimes, store, time, async response =>
        {
            using var page = new PooledBuffer();
            InputItemsPage.Write(response, limit, order == "asc", after, page);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = page.Length;
            await context.Response.Body.WriteAsync(page.Memory, context.RequestAborted);
        });
    }

    /// <summary>Authenticates, finds the caller's response <paramref name="id"/> and hands it to <paramref name="answer"/>; else the error.</summary>
    private static async Task WithResponseAsync(HttpContext context, string id, RuntimeHolder runtimes, IResponseStore store, TimeProvider time,
        Func<StoredResponse, Task> answer)
    {
        if (await OwnerAsync(context, runtimes, time) is not { } owner) return;
        StoredResponse? response;
        try
        {
            response = await store.FindAsync(id, owner, time.GetUtcNow(), context.RequestAborted);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, StoredResponseErrors.Unavailable);
            return;
        }
        if (response is null)
        {
            await ErrorResponses.WriteOpenAIAsync(context.Response, StoredResponseErrors.NotFound(id));
            return;
        }
        await answer(response);
    }

    /// <summary>Whose responses the caller may see; null once the 401 is written.</summary>
    private static async Task<string?> OwnerAsync(HttpContext context, RuntimeHolder runtimes, TimeProvider time)
    {
        var (identity, error) = await ClientAuthenticator.AuthenticateAsync(context.Request, runtimes.Current, time, context.RequestAborted);
        if (identity is not null) return ResponseOwner.Of(identity);
        await ErrorResponses.WriteOpenAIAsync(context.Response, error!);
        return null;
    }
}
