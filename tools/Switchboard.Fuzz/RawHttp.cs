using System.Net.Sockets;
using System.Text;

namespace Switchboard.Fuzz;

/// <summary>An HTTP/1.1 response as received: status, headers (names lower-case), decoded body.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Sends raw bytes on a fresh TCP connection and reads the answer until the server closes it (every case sends
/// <c>Connection: close</c>). Raw sockets because HttpClient refuses to send most of what the fuzzer needs (bad
/// chunk framing, lying Content-Length, invalid header bytes).
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse?> SendAsync(string host, int port, byte[] request, bool halfClose, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(host, port, cancel.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, cancel.Token);
            if (halfClose) client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // The server may answer and close before taking the whole request (a 413 or 400 on the headers).
        }
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancel.Token);
                if (read == 0) break;
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset after the answer (the server closing with unread request bytes) still leaves the answer.
        }
        return Parse(received.ToArray());
    }

    public static RawResponse? Parse(byte[] raw)
    {
        // Interim answers (100 Continue to an Expect header) come before the real one.
        while (raw.AsSpan().StartsWith("HTTP/1.1 1"u8) && raw.AsSpan().IndexOf("\r\n\r\n"u8) is var interim and >= 0)
        {
            raw = raw[(interim + 4)..];
        }
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) return null;
        var lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !int.TryParse(statusParts[1], out var status)) return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        var body = raw[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return new RawResponse(status, headers, body);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var output = new MemoryStream();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var sizeText = Encoding.ASCII.GetString(body, at, lineEnd).Split(';')[0];
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0) break;
            at += lineEnd + 2;
            output.Write(body, at, Math.Min(size, body.Length - at));
            at += size + 2;
        }
        return output.ToArray();
    }
}
