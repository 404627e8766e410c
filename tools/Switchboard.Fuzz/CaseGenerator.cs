using System.Text;

namespace Switchboard.Fuzz;

/// <summary>
/// Builds hostile requests. Case <c>i</c> of seed <c>s</c> depends on nothing else (its own <see cref="Random"/>
/// seeded from both), so any failure is reproduced with <c>--seed s --case i</c>.
/// </summary>
public sealed class CaseGenerator(FuzzTargets targets, int seed)
{
    private static readonly (string Name, int Weight)[] Mutations =
    [
        ("valid", 8), ("bad-text", 14), ("wrong-type", 12), ("deep-nesting", 4), ("giant-string", 3), ("not-an-object", 6),
        ("corrupted-body", 8), ("content-type", 6), ("bad-auth", 6), ("odd-headers", 4), ("protocol-headers", 3), ("chunked", 8),
        ("short-body", 3), ("wrong-method", 6), ("url-mistake", 6), ("query-junk", 4),
    ];

    private static readonly string[] OddPaths =
    [
        "/v1/v1/messages", "/v1/v1/chat/completions", "/v1/v1/messages/count_tokens", "/v1/v1/models", "/api/v1/chat/completions",
        "/openai/v1/chat/completions", "/anthropic/v1/messages", "/v2/chat/completions", "/v1/chat/completions/", "/v1/chat",
        "/V1/CHAT/COMPLETIONS", "/v1/Messages", "/v1/messages/", "/v1/messages/batches", "/v1/messages/count_tokens/x", "/v1/responses",
        "/%ff", "/v1/%00", "/v1/models/%ff%fe", "/v1/models/a%2fb", "/../../etc/passwd", "//v1//messages", "/admin", "/admin/nope",
        "/admin/keys/%00", "/admin/keys/" + new string('k', 3000), "/health", "/favicon.ico", "/" + new string('a', 6000), "/v1/models/",
        "/v1/chat/completions?key=", "/v1/messages?beta=true", "/ui", "/metrics",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "FOO", "get", "TRACE"];

    private static readonly string[] QueryJunk =
    [
        "?from=notatime", "?to=2026-13-45", "?limit=-5", "?limit=99999999999999999999", "?limit=abc", "?group_by=nope", "?status=abc",
        "?key_id=%ff", "?model=%00", "?from=2026-01-01&from=2027-01-01", "?limit=", "?" + new string('q', 3000) + "=1",
        "?team=\u00e9", "?key=sb-bogus", "?provider=&model=&team=",
    ];

    public FuzzCase Create(int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var mutation = Pick(random);
        var route = Route.All[random.Next(Route.All.Length)];
        if (!route.HasBody && mutation is "bad-text" or "wrong-type" or "deep-nesting" or "giant-string" or "not-an-object" or "corrupted-body" or "content-type" or "chunked" or "short-body")
        {
            mutation = random.Next(2) == 0 ? "query-junk" : "wrong-method";
        }
        var method = route.Method;
        var path = Concrete(route.Path, random);
        var slots = route.Slots?.Invoke(random, targets);
        byte[]? body = route.HasBody ? Render(route.Template!, slots!) : null;
        var headers = new List<string>();
        var auth = Auth(route.Caller, random);
        var contentType = route.ContentType ?? "application/json";
        var chunked = false;
        var halfClose = false;
        var protocol = false;
        string? contentLength = null;

        switch (mutation)
        {
            case "bad-text":
                body = Render(route.Template!, slots!, random.Next(slots!.Length), HostileValues.BadText[random.Next(HostileValues.BadText.Length)]);
                break;
            case "wrong-type":
                body = Render(route.Template!, slots!, random.Next(slots!.Length), HostileValues.WrongTypes[random.Next(HostileValues.WrongTypes.Length)]);
                break;
            case "deep-nesting":
                body = Render(route.Template!, slots!, random.Next(slots!.Length), HostileValues.Deep(random));
                break;
            case "giant-string":
                body = Render(route.Template!, slots!, random.Next(slots!.Length), HostileValues.Giant(random));
                break;
            case "not-an-object":
                body = HostileValues.NotAnObject[random.Next(HostileValues.NotAnObject.Length)];
                break;
            case "corrupted-body":
                body = Corrupt(body!, random);
                break;
            case "content-type":
                contentType = random.Next(6) == 0 ? null : HostileValues.ContentTypes[random.Next(HostileValues.ContentTypes.Length)];
                break;
            case "bad-auth":
                auth = random.Next(8) switch
                {
                    0 => null,
                    1 => "Authorization: Bearer",
                    2 => "Authorization: Bearer " + new string('x', 4000),
                    3 => "Authorization: Basic dXNlcjpwYXNz",
                    4 => "Authorization: Bearer sb-wrong-key-000",
                    5 => $"x-api-key: {targets.ClientKey}\r\nx-api-key: other",
                    6 => "Authorization: bearer " + (route.Caller == Caller.Master ? targets.MasterKey : targets.ClientKey),
                    _ => "api-key: " + (route.Caller == Caller.Master ? targets.ClientKey : targets.MasterKey),
                };
                break;
            case "odd-headers":
                headers.Add(random.Next(6) switch
                {
                    0 => "x-request-id: " + new string('r', 2000),
                    1 => "x-request-id: ../../etc;<script>",
                    2 => "anthropic-version: \"; DROP TABLE",
                    3 => "Expect: 100-continue",
                    4 => "Accept: text/event-stream",
                    _ => "X-Big: " + new string('b', 16_000),
                });
                break;
            case "protocol-headers":
                protocol = true;
                headers.Add(random.Next(6) switch
                {
                    0 => "X-Huge: " + new string('h', 40_000),
                    1 => "Bad Header: x",
                    2 => "X-Latin1: caf\u00e9\u00ff",
                    3 => "X-Ctl: a\u0001b",
                    4 => "Content-Length: abc",
                    _ => "Content-Length: 5\r\nContent-Length: 7",
                });
                if (headers[^1].StartsWith("Content-Length", StringComparison.Ordinal)) contentLength = "";
                break;
            case "chunked":
                chunked = true;
                break;
            case "short-body":
                // Less body than declared: the client ends its side, and Kestrel ends a request whose client has gone
                // (it does not keep half-closed connections), so no answer is also a right outcome here. Declared over
                // the limit: refused from the header alone.
                halfClose = random.Next(2) == 0;
                contentLength = halfClose ? (body!.Length + 1000).ToString() : "70000000";
                break;
            case "wrong-method":
                method = Methods[random.Next(Methods.Length)];
                if (method == route.Method) method = "PUT";
                break;
            case "url-mistake":
                path = OddPaths[random.Next(OddPaths.Length)];
                if (random.Next(3) == 0) method = "GET";
                break;
            case "query-junk":
                path += QueryJunk[random.Next(QueryJunk.Length)];
                break;
        }

        // Raw non-ASCII bytes or an encoded NUL in the request target are refused by Kestrel before the gateway sees a request.
        protocol |= path.Any(c => c > 127) || path.Contains("%00", StringComparison.Ordinal);
        var sent = method is "GET" or "HEAD" or "DELETE" && mutation != "wrong-method" ? null : body;
        var request = Assemble(method, path, auth, contentType, headers, sent, chunked ? random : null, contentLength, out var incomplete);
        halfClose |= incomplete;
        return new FuzzCase(index, route.Label, mutation, path, request, halfClose, protocol);
    }

    private static string Pick(Random random)
    {
        var total = Mutations.Sum(m => m.Weight);
        var roll = random.Next(total);
        foreach (var (name, weight) in Mutations)
        {
            if (roll < weight) return name;
            roll -= weight;
        }
        return "valid";
    }

    private string Concrete(string path, Random random) => path
        .Replace("{model}", targets.Models.Count > 0 && random.Next(3) != 0 ? targets.Models[random.Next(targets.Models.Count)] : "openai/gpt-4o", StringComparison.Ordinal)
        .Replace("{id}", random.Next(2) == 0 ? "key_" + random.Next(1000) : "%20", StringComparison.Ordinal)
        .Replace("{team}", "team-" + random.Next(50), StringComparison.Ordinal);

    private string? Auth(Caller caller, Random random) => caller switch
    {
        Caller.Master when targets.MasterKey is not null => "Authorization: Bearer " + targets.MasterKey,
        Caller.Client when targets.ClientKey is not null => random.Next(3) == 0 ? "x-api-key: " + targets.ClientKey : "Authorization: Bearer " + targets.ClientKey,
        _ => null,
    };

    private static byte[] Render(string template, string[] slots, int hostileSlot = -1, byte[]? hostile = null)
    {
        var output = new List<byte>(template.Length + 64 + (hostile?.Length ?? 0));
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '§')
            {
                var slot = template[i + 1] - '0';
                output.AddRange(slot == hostileSlot ? hostile! : Encoding.UTF8.GetBytes(slots[slot]));
                i++;
            }
            else
            {
                output.Add((byte)template[i]);
            }
        }
        return [.. output];
    }

    private static byte[] Corrupt(byte[] body, Random random)
    {
        var copy = (byte[])body.Clone();
        switch (random.Next(4))
        {
            case 0: return copy[..random.Next(copy.Length)];
            case 1:
                for (var i = 0; i < 1 + random.Next(4); i++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            case 2: return [.. copy, .. "}}]],\"x\":"u8.ToArray()];
            default:
                var at = random.Next(copy.Length);
                return [.. copy[..at], (byte)random.Next(256), (byte)random.Next(256), .. copy[at..]];
        }
    }

    private byte[] Assemble(string method, string path, string? auth, string? contentType, List<string> headers, byte[]? body, Random? chunked,
        string? contentLength, out bool incomplete)
    {
        incomplete = false;
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: ").Append(targets.Host).Append("\r\nConnection: close\r\n");
        if (auth is not null) head.Append(auth).Append("\r\n");
        if (body is not null && contentType is not null) head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        byte[] payload = body ?? [];
        if (chunked is not null && body is not null)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
            payload = Chunk(body, chunked, out incomplete);
        }
        else if (contentLength is not null)
        {
            if (contentLength.Length > 0) head.Append("Content-Length: ").Append(contentLength).Append("\r\n");
        }
        else if (body is not null)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }
        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. payload];
    }

    /// <summary>
    /// The body in chunked framing with one fault: an overflowing or non-hex size, a lie about the size, no end.
    /// <paramref name="incomplete"/>: the framing never ends, so the client must end its side for the server to see the end.
    /// </summary>
    private static byte[] Chunk(byte[] body, Random random, out bool incomplete)
    {
        var split = body.Length == 0 ? 0 : random.Next(body.Length);
        string Size(int n) => n.ToString("x");
        var first = body[..split];
        var rest = body[split..];
        var (sizeLine, ending) = random.Next(8) switch
        {
            0 => ("ffffffffffffffff", "0\r\n\r\n"),
            1 => ("zz", "0\r\n\r\n"),
            2 => ("-1", "0\r\n\r\n"),
            3 => (Size(first.Length + 100), ""),
            4 => (Size(first.Length) + ";ext=1", "0\r\nX-Trailer: y\r\n\r\n"),
            5 => (Size(first.Length), ""),
            6 => (Size(first.Length), "0\r\n"),
            _ => ("  " + Size(first.Length), "0\r\n\r\n"),
        };
        incomplete = ending != "0\r\n\r\n" && !ending.EndsWith("\r\n\r\n", StringComparison.Ordinal);
        var text = new List<byte>();
        text.AddRange(Encoding.ASCII.GetBytes(sizeLine + "\r\n"));
        text.AddRange(first);
        text.AddRange("\r\n"u8.ToArray());
        if (rest.Length > 0)
        {
            text.AddRange(Encoding.ASCII.GetBytes(Size(rest.Length) + "\r\n"));
            text.AddRange(rest);
            text.AddRange("\r\n"u8.ToArray());
        }
        text.AddRange(Encoding.ASCII.GetBytes(ending));
        return [.. text];
    }
}
