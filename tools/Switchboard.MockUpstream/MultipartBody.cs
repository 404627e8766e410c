using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Switchboard.MockUpstream;

/// <summary>One part of a multipart form: its name, its file name (null for a text field) and its bytes.</summary>
internal sealed record FormPart(string Name, string? FileName, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);
}

/// <summary>The multipart uploads (audio transcriptions, image edits), read with the refusals every such OpenAI route shares.</summary>
internal static class MultipartBody
{
    /// <summary>
    /// Every part in order; or the 400 OpenAI gives for a body that is not <c>multipart/form-data</c> with a boundary,
    /// a part without a name, a field not in <paramref name="allowed"/>, or a form that does not parse.
    /// </summary>
    public static async Task<(List<FormPart>? Parts, ApiError? Error)> ReadAsync(ApiRequest api, IReadOnlySet<string> allowed)
    {
        if (!MediaTypeHeaderValue.TryParse(api.Http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return (null, OpenAIErrors.Invalid("Invalid Content-Type header: this endpoint expects multipart/form-data with a boundary."));
        }
        var parts = new List<FormPart>();
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(api.Body));
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    return (null, OpenAIErrors.Invalid("Each part of the form needs a Content-Disposition header with a name."));
                }
                if (!allowed.Contains(name)) return (null, OpenAIErrors.Unrecognized(name));
                using var bytes = new MemoryStream();
                await section.Body.CopyToAsync(bytes);
                parts.Add(new FormPart(name, HeaderUtilities.RemoveQuotes(disposition.FileName).Value, bytes.ToArray()));
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return (null, OpenAIErrors.Invalid("Could not parse multipart form: " + ex.Message));
        }
        return (parts, null);
    }
}
