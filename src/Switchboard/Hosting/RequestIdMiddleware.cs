using Switchboard.Errors;
using Switchboard.Http;

namespace Switchboard.Hosting;

/// <summary>
/// Puts <c>x-request-id</c> (the gateway's id) on every response (success, error, unknown route), and
/// <c>x-client-request-id</c> when the client sent an id of its own, and turns anything unexpected into a
/// 500 in the OpenAI dialect instead of an empty response.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var id = RequestIds.Assign(context);
        context.Response.Headers[RequestIds.Header] = id;
        if (RequestIds.ClientId(context) is { } clientId) context.Response.Headers[RequestIds.ClientHeader] = clientId;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; nothing to answer.
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, id, ex.GetType().Name);
            await ErrorResponses.WriteOpenAIAsync(context.Response,
                GatewayError.Internal($"The gateway failed to handle the request (request id {id})."));
        }
    }

    // Only the exception type: messages can carry request content, and request content can carry secrets.
    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed inside the gateway: {ExceptionType}")]
    private static partial void LogUnhandled(ILogger logger, string requestId, string exceptionType);
}
