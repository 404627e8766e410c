using System.CommandLine;
using System.Globalization;

namespace Switchboard.Cli;

/// <summary>
/// <c>health [--port N] [--url URL]</c>: asks a running gateway whether it is ready (<c>GET /health/ready</c>) and exits
/// 0 when it answers 200, 1 otherwise. It is the container health check: the runtime image has no curl or wget.
/// </summary>
public static class HealthCommand
{
    public const int DefaultPort = 4000;

    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = $"Port of the gateway on this machine (default {DefaultPort})" };
        var url = new Option<string?>("--url") { Description = "Full URL to ask instead (default http://127.0.0.1:PORT/health/ready)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the answer", DefaultValueFactory = _ => 5 };
        var command = new Command("health", "Check that a running gateway is ready (exit 0) or not (exit 1)") { port, url, timeout };
        command.SetAction(async (parse, cancel) =>
        {
            var target = parse.GetValue(url)
                ?? $"http://127.0.0.1:{(parse.GetValue(port) ?? DefaultPort).ToString(CultureInfo.InvariantCulture)}/health/ready";
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                Console.Error.WriteLine($"--url {target}: not an http(s) URL");
                return 1;
            }
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(timeout))) };
            try
            {
                using var response = await client.GetAsync(uri, cancel);
                var body = await response.Content.ReadAsStringAsync(cancel);
                Console.WriteLine($"{(int)response.StatusCode} {body.Trim()}");
                return response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"{uri}: {(e is TaskCanceledException ? "no answer in time" : e.Message)}");
                return 1;
            }
        });
        return command;
    }
}
