using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>One received API request as tests see it through <c>GET /_mock/requests</c>.</summary>
internal sealed record LoggedRequest(
    string Method,
    string Path,
    string Query,
    KeyValuePair<string, string>[] Headers,
    string Body,
    string? Knobs,
    DateTimeOffset ReceivedAt);

/// <summary>
/// The last <see cref="Capacity"/> API requests (control requests excluded), oldest first. Bounded so a
/// long benchmark run cannot grow the mock without limit.
/// </summary>
internal sealed class RequestLog
{
    public const int Capacity = 500;

    private readonly Queue<LoggedRequest> _entries = new(Capacity);
    private readonly Lock _lock = new();

    public void Add(LoggedRequest entry)
    {
        lock (_lock)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }
            _entries.Enqueue(entry);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    public LoggedRequest[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    /// <summary>Captures a request; header names are lower-cased so tests can index them without caring about casing.</summary>
    public static LoggedRequest Capture(HttpRequest request, string path, string? knobs, string body)
    {
        var headers = new KeyValuePair<string, string>[request.Headers.Count];
        int i = 0;
        foreach (var (name, value) in request.Headers)
        {
            headers[i++] = new(name.ToLowerInvariant(), value.ToString());
        }
        string query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        return new LoggedRequest(request.Method, path, query, headers, body, knobs, DateTimeOffset.UtcNow);
    }

    public static void WriteJson(Utf8JsonWriter w, LoggedRequest[] entries)
    {
        w.WriteStartArray();
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteString("method"u8, e.Method);
            w.WriteString("path"u8, e.Path);
            w.WriteString("query"u8, e.Query);
            w.WriteStartObject("headers"u8);
            foreach (var (name, value) in e.Headers)
            {
                w.WriteString(name, value);
            }
            w.WriteEndObject();
            w.WriteString("body"u8, e.Body);
            if (e.Knobs is null)
            {
                w.WriteNull("knobs"u8);
            }
            else
            {
                w.WriteString("knobs"u8, e.Knobs);
            }
            w.WriteString("received_at"u8, e.ReceivedAt);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
