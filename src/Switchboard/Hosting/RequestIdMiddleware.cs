using Switchboard.Errors;
using Switchboard.Http;

namespace Switchboard.Hosting;

/// <summary>
/// Puts <c>x-request-id</c> (the gateway's id) on every response (success, error, unknown route), and
/// <c>x-client-request-id</c> when the client sent an id of its own; turns anything unexpected into a 500, and gives a
/// body to every error the pipeline ended without one (no route: 404; a known route with another method: 405 with
/// <c>Allow</c>), each in the dialect of its path (<see cref="PathErrors"/>).
/// </summary>
/// <remarks>
/// What cannot be shaped here: Kestrel answers some malformed requests itself before any middleware runs: a request
/// line it cannot parse or longer than <c>MaxRequestLineSize</c> (400 / 414), headers over
/// <c>MaxRequestHeadersTotalSize</c> or malformed (431 / 400), a bad <c>Content-Length</c> or <c>Transfer-Encoding</c>
/// header (400). Those get Kestrel's empty-bodied response with <c>Connection: close</c> and no <c>x-request-id</c>:
/// there is no request yet to give an id to, and Kestrel offers no hook to write that response. A body that turns
/// out malformed while it is read (bad chunk framing, over the size limit) is the application's to answer and is
/// shaped (see <see cref="RequestBodyReader"/>).
/// </remarks>
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
            return;
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, id, ex.GetType().Name);
            await PathErrors.WriteAsync(context, GatewayError.Internal($"The gateway failed to handle the request (request id {id})."));
            return;
        }
        if (context.Response.StatusCode >= 400 && !context.Response.HasStarted)
        {
            await PathErrors.WriteAsync(context, PathErrors.ForBodilessStatus(context));
        }
    }

    // Only the exception type: messages can carry request content, and request content can carry secrets.
    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed inside the gateway: {ExceptionType}")]
    private static partial void LogUnhandled(ILogger logger, string requestId, string exceptionType);
}
