using Switchboard.MockUpstream;

// dotnet run --project tools/Switchboard.MockUpstream -- serve [--host 127.0.0.1] [--port 4010] [--api-key K] [--fixtures DIR]
const string Usage = "usage: Switchboard.MockUpstream serve [--host 127.0.0.1] [--port 4010] [--api-key KEY] [--fixtures DIR]";

if (args.Length == 0 || args[0] != "serve")
{
    bool help = args.Length > 0 && args[0] is "-h" or "--help" or "help";
    (help ? Console.Out : Console.Error).WriteLine(Usage);
    return help ? 0 : 2;
}

string host = "127.0.0.1";
int port = 4010;
var options = new MockUpstreamOptions();
for (int i = 1; i < args.Length; i++)
{
    string name = args[i];
    if (name is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        return 0;
    }
    if (i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"missing value for {name}\n{Usage}");
        return 2;
    }
    string value = args[++i];
    switch (name)
    {
        case "--host":
            host = value;
            break;
        case "--port" when int.TryParse(value, out int p) && p is >= 0 and <= 65535:
            port = p;
            break;
        case "--api-key":
            options.ApiKey = value;
            break;
        case "--fixtures":
            options.FixturesDir = value;
            break;
        default:
            Console.Error.WriteLine($"unknown or invalid option {name} {value}\n{Usage}");
            return 2;
    }
}

// An IPv6 literal needs brackets inside a URL.
string hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
var app = MockUpstreamServer.Build(options, $"http://{hostPart}:{port}");
await app.StartAsync();
Console.WriteLine($"Switchboard mock upstream listening on {string.Join(", ", app.Urls)} (api key: {options.ApiKey})");
await app.WaitForShutdownAsync();
return 0;
