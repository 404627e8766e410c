using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Errors;
using Switchboard.Translation.Json;

namespace Switchboard.Http;

/// <summary>
/// Reads a whole JSON request body into a pooled buffer, mapping transport failures to client errors, and refuses a
/// body that is not valid Unicode (see <see cref="JsonTextCheck"/>) before anything decodes it.
/// </summary>
public static class RequestBodyReader
{
    /// <summary>The default limit (<c>server.max_body_size</c>): larger bodies are refused with 413.</summary>
    public const long MaxBodyBytes = Config.ServerSettings.DefaultMaxBodySize;

    /// <summary>
    /// Reads the body. Returns the error instead when it is not JSON, larger than <paramref name="maxBytes"/>, cut off,
    /// badly framed or not valid Unicode.
    /// </summary>
    public static async ValueTask<(PooledBuffer? Body, GatewayError? Error)> ReadJsonAsync(HttpRequest request, CancellationToken cancel,
        long maxBytes = MaxBodyBytes)
    {
        if (request.ContentType is { } contentType && !IsJson(contentType))
        {
            return (null, GatewayError.UnsupportedMediaType(
                $"Invalid Content-Type header ({contentType}); the request body must be JSON (application/json)."));
        }
        if (request.ContentLength > maxBytes) return (null, GatewayError.PayloadTooLarge(maxBytes));
        // The limit may have changed with a reload since Kestrel started: the server's own check follows it (it can
        // still be set while nothing has been read).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        // Sized to the announced length exactly: a large body then takes one array of its own size (see PooledBuffer).
        var buffer = new PooledBuffer(request.ContentLength is > 0 and { } length && length <= maxBytes ? (int)length : 4096);
        try
        {
            var reader = request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(cancel);
                buffer.Write(result.Buffer);
                reader.AdvanceTo(result.Buffer.End);
                if (buffer.Length > maxBytes)
                {
                    buffer.Dispose();
                    return (null, GatewayError.PayloadTooLarge(maxBytes));
                }
                if (result.IsCompleted || result.IsCanceled) break;
            }
            if (JsonTextCheck.Check(buffer.Span) is { } notUnicode)
            {
                buffer.Dispose();
                return (null, GatewayError.InvalidRequest(notUnicode.ToString(), notUnicode.Param, notUnicode.Code));
            }
            return (buffer, null);
        }
        catch (BadHttpRequestException ex)
        {
            buffer.Dispose();
            return (null, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? GatewayError.PayloadTooLarge(maxBytes)
                : GatewayError.InvalidRequest("The request body could not be read: " + ex.Message));
        }
        catch (IOException ex) when (!cancel.IsCancellationRequested)
        {
            // Kestrel reports a malformed chunked body (a chunk size such as ffffffffffffffff overflows, bad chunk
            // framing) as a bare IOException, not a BadHttpRequestException: still the client's framing, so a 400.
            buffer.Dispose();
            return (null, GatewayError.InvalidRequest("The request body could not be read: " + ex.Message));
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase)
        // Some clients (curl -d without -H) send form encoding for JSON bodies; OpenAI accepts those too.
        || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);
}
