using System.Net.Http.Headers;
using System.Text;
using Switchboard.Errors;

namespace Switchboard.Http.Multipart;

/// <summary>
/// A client's <c>multipart/form-data</c> request, read once by <see cref="MultipartFormReader"/> and forwarded to an
/// upstream as often as failover needs, as a streamed body.
/// </summary>
/// <remarks>
/// The API, in full (used by every multipart route: audio transcriptions and translations, image edits):
/// <code>
/// var (form, error) = await MultipartFormReader.ReadAsync(request, maxBytes, cancel);  // 400/413/415 as values
/// using (form)                                          // deletes the spooled files
/// {
///     var model = form.Field("model");                  // any text field, whatever its place in the body
///     if (form.Require("model", "file") is { } missing) …  // 400 naming the first missing field
///     using var content = form.CreateContent("model", upstreamModel);  // one per attempt: parts in order, model replaced
/// }
/// </code>
/// Text fields are kept as strings (bounded by <see cref="MultipartFormReader.MaxFieldBytes"/>); file parts are
/// spooled to temporary files, so a field sent after the file (the Node <c>openai</c> SDK sends <c>file</c> before
/// <c>model</c>) is known before anything goes upstream, and a failover can send the same body again. Every spooled
/// file is deleted when the form is disposed (its directory entry at once; Linux frees the bytes when the last
/// reader closes).
/// </remarks>
public sealed class MultipartForm : IDisposable
{
    private readonly List<MultipartPart> _parts = [];
    private readonly List<FileStream> _spools = [];

    /// <summary>Every part, in the client's order.</summary>
    public IReadOnlyList<MultipartPart> Parts => _parts;

    /// <summary>The bytes of every part's content (headers and boundaries not counted).</summary>
    public long ContentBytes { get; private set; }

    /// <summary>The first text field named <paramref name="name"/>; null when there is none.</summary>
    public string? Field(string name)
    {
        foreach (var part in _parts)
        {
            if (!part.IsFile && part.Name == name) return part.Value;
        }
        return null;
    }

    /// <summary>The first file part named <paramref name="name"/>; null when there is none.</summary>
    public MultipartPart? File(string name)
    {
        foreach (var part in _parts)
        {
            if (part.IsFile && part.Name == name) return part;
        }
        return null;
    }

    /// <summary>
    /// Null when every named field (text or file) is present and not empty (<c>name[]</c>, the array form OpenAI's
    /// SDKs send for several files, counts as <c>name</c>); otherwise the 400 the OpenAI API gives for the first one
    /// missing.
    /// </summary>
    public GatewayError? Require(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            var present = false;
            foreach (var part in _parts)
            {
                if (IsNamed(part, name) && (part.IsFile || !string.IsNullOrEmpty(part.Value))) present = true;
            }
            if (!present)
            {
                return name == "model"
                    ? GatewayError.InvalidRequest("you must provide a model parameter", "model")
                    : GatewayError.InvalidRequest($"Missing required parameter: '{name}'.", name);
            }
        }
        return null;
    }

    private static bool IsNamed(MultipartPart part, string name) =>
        part.Name == name || (part.Name.Length == name.Length + 2 && part.Name.StartsWith(name, StringComparison.Ordinal) && part.Name.EndsWith("[]", StringComparison.Ordinal));

    /// <summary>
    /// A new streamed <c>multipart/form-data</c> body of every part in order (a fresh boundary; files read from their
    /// spool as the upstream takes them), with the text field <paramref name="replaceField"/> (if given) sent as
    /// <paramref name="replacement"/>. Make one per attempt and dispose it with the attempt's request.
    /// </summary>
    public MultipartFormDataContent CreateContent(string? replaceField = null, string? replacement = null)
    {
        var content = new MultipartFormDataContent();
        foreach (var part in _parts)
        {
            HttpContent partContent;
            if (part.IsFile)
            {
                var stream = new FileStream(part.SpoolPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                    64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
                partContent = new StreamContent(stream, 64 * 1024);
                partContent.Headers.ContentType = MediaTypeHeaderValue.TryParse(part.ContentType, out var type)
                    ? type : new MediaTypeHeaderValue("application/octet-stream");
            }
            else
            {
                var value = replaceField is not null && part.Name == replaceField ? replacement ?? "" : part.Value!;
                // No Content-Type on a text field, as browsers and the OpenAI SDKs send it.
                partContent = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
            }
            partContent.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quote(part.Name), FileName = part.FileName is null ? null : Quote(part.FileName) };
            content.Add(partContent);
        }
        return content;
    }

    internal void AddField(string name, string value, long length)
    {
        _parts.Add(new MultipartPart { Name = name, Value = value, Length = length });
        ContentBytes += length;
    }

    internal void AddFile(string name, string fileName, string? contentType, FileStream spool)
    {
        _spools.Add(spool);
        _parts.Add(new MultipartPart { Name = name, FileName = fileName, ContentType = contentType, Length = spool.Length, SpoolPath = spool.Name });
        ContentBytes += spool.Length;
    }

    internal void Count(long bytes) => ContentBytes += bytes;

    /// <summary>Closes the spools, which deletes their files (they were opened delete-on-close).</summary>
    public void Dispose()
    {
        foreach (var spool in _spools) spool.Dispose();
        _spools.Clear();
    }

    /// <summary>A quoted-string for a Content-Disposition parameter (quotes and backslashes escaped).</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
