using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Switchboard.Errors;

namespace Switchboard.Http.Multipart;

/// <summary>
/// Reads a client's <c>multipart/form-data</c> body as it arrives with ASP.NET Core's <see cref="MultipartReader"/>:
/// text fields into strings, file parts straight to temporary files, the whole bounded by a size limit. Every way a
/// body can be wrong is a value: 415 (not multipart), 400 (no boundary, a part without a name, a cut-off body),
/// 413 (over the limit), never an exception.
/// </summary>
public static class MultipartFormReader
{
    /// <summary>The largest text field (a prompt is at most a few tens of kilobytes).</summary>
    public const int MaxFieldBytes = 1024 * 1024;

    /// <summary>The config key that sets the limit, named in the 413.</summary>
    public const string LimitSetting = "server.max_upload_size";

    private const int HeadersLengthLimit = 16 * 1024;

    /// <summary>
    /// Reads the whole body (bounded by <paramref name="maxBytes"/>), or returns the error in the OpenAI shape. The
    /// caller owns the form and must dispose it (that deletes its spooled files).
    /// </summary>
    public static async Task<(MultipartForm? Form, GatewayError? Error)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancel)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (null, GatewayError.UnsupportedMediaType(
                $"Invalid Content-Type header ({request.ContentType ?? "none"}); this endpoint takes multipart/form-data."));
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, GatewayError.InvalidRequest("The multipart/form-data Content-Type header has no boundary parameter."));
        }
        if (boundary.Length > 70)
        {
            return (null, GatewayError.InvalidRequest("The multipart boundary is longer than 70 characters (RFC 2046)."));
        }
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));
        // The gateway's JSON limit (server.max_body_size) is Kestrel's default; an upload has its own.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        var form = new MultipartForm();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = HeadersLengthLimit, BodyLengthLimit = maxBytes };
            while (await reader.ReadNextSectionAsync(cancel) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    form.Dispose();
                    return (null, GatewayError.InvalidRequest("A part of the multipart body has no 'Content-Disposition: form-data; name=…' header."));
                }
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                var error = fileName is null
                    ? await ReadFieldAsync(form, name, section.Body, maxBytes, cancel)
                    : await SpoolFileAsync(form, name, fileName, section.ContentType, section.Body, maxBytes, cancel);
                if (error is not null)
                {
                    form.Dispose();
                    return (null, error);
                }
            }
            return (form, null);
        }
        catch (Exception ex) when (Classify(ex, maxBytes, cancel) is { } error)
        {
            form.Dispose();
            return (null, error);
        }
        catch
        {
            form.Dispose();
            throw;
        }
    }

    private static async Task<GatewayError?> ReadFieldAsync(MultipartForm form, string name, Stream body, long maxBytes, CancellationToken cancel)
    {
        var buffer = new byte[4096];
        using var value = new MemoryStream();
        int read;
        while ((read = await body.ReadAsync(buffer, cancel)) > 0)
        {
            value.Write(buffer, 0, read);
            if (value.Length > MaxFieldBytes)
            {
                return GatewayError.InvalidRequest($"The form field '{name}' is longer than {MaxFieldBytes} bytes; send large content as a file part.", name);
            }
            if (form.ContentBytes + value.Length > maxBytes) return TooLarge(maxBytes);
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value.GetBuffer(), 0, (int)value.Length);
        }
        catch (DecoderFallbackException)
        {
            return GatewayError.InvalidRequest($"The form field '{name}' is not valid UTF-8 text.", name);
        }
        form.AddField(name, text, value.Length);
        return null;
    }

    private static async Task<GatewayError?> SpoolFileAsync(MultipartForm form, string name, string fileName, string? contentType, Stream body,
        long maxBytes, CancellationToken cancel)
    {
        var path = Path.Combine(Path.GetTempPath(), "switchboard-upload-" + Guid.NewGuid().ToString("N"));
        // Delete-on-close: whatever ends the request (an error, an exception, the client leaving), closing the spool
        // removes the file; nothing is left in the temp directory.
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            var buffer = new byte[64 * 1024];
            long length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancel)) > 0)
            {
                length += read;
                if (form.ContentBytes + length > maxBytes)
                {
                    await spool.DisposeAsync();
                    return TooLarge(maxBytes);
                }
                await spool.WriteAsync(buffer.AsMemory(0, read), cancel);
            }
            await spool.FlushAsync(cancel);
            form.AddFile(name, fileName, contentType, spool);
            return null;
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    /// <summary>What a failed read means for the client; null for an exception that is not the body's fault.</summary>
    private static GatewayError? Classify(Exception exception, long maxBytes, CancellationToken cancel) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(maxBytes),
        // MultipartReader's own limit (one section over BodyLengthLimit) says "Multipart body length limit … exceeded".
        InvalidDataException e when e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase) => TooLarge(maxBytes),
        InvalidDataException e => GatewayError.InvalidRequest("The multipart body is malformed: " + e.Message),
        BadHttpRequestException e => GatewayError.InvalidRequest("The request body could not be read: " + e.Message),
        // The body ended before its closing boundary (or never had one): MultipartReader reports an unexpected end.
        IOException when !cancel.IsCancellationRequested => GatewayError.InvalidRequest(
            "The multipart body is truncated or malformed: it ended before its closing boundary."),
        _ => null,
    };

    private static GatewayError TooLarge(long maxBytes) => GatewayError.PayloadTooLarge(maxBytes, LimitSetting);
}
