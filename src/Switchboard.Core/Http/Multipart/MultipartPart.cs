namespace Switchboard.Http.Multipart;

/// <summary>
/// One part of a client's <c>multipart/form-data</c> body, in the order the client sent it: a text field (its value
/// kept as text; fields are small: <c>model</c>, <c>prompt</c>, <c>response_format</c>) or a file (a part with a
/// <c>filename</c>; its bytes spooled to a temporary file, never held in memory).
/// </summary>
public sealed class MultipartPart
{
    /// <summary>The form field's name (<c>Content-Disposition: form-data; name=…</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The file's name as the client sent it; null for a text field.</summary>
    public string? FileName { get; init; }

    /// <summary>The part's own <c>Content-Type</c>, if it sent one.</summary>
    public string? ContentType { get; init; }

    /// <summary>A text field's value; null for a file.</summary>
    public string? Value { get; init; }

    /// <summary>The part's size in bytes (a file's spooled length, a field's UTF-8 length).</summary>
    public long Length { get; init; }

    /// <summary>Where a file's bytes were spooled; null for a text field.</summary>
    internal string? SpoolPath { get; init; }

    public bool IsFile => FileName is not null;
}
