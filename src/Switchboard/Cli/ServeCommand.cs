using System.CommandLine;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>serve [--config PATH] [--host HOST] [--port N]</c>: runs the gateway until Ctrl+C / SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1, or server.host in the config)" };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 4000, or server.port in the config)" };
        var command = new Command("serve", "Run the gateway") { configOption, host, port };
        command.SetAction(async (parse, cancel) =>
        {
            var config = ConfigSource.Load(parse.GetValue(configOption), Console.Error);
            if (config is null) return 1;
            var options = new GatewayOptions
            {
                Config = config,
                Host = parse.GetValue(host) ?? config.Server.Host,
                Port = parse.GetValue(port) ?? config.Server.Port,
            };
            if (options.Port is < 0 or > 65535)
            {
                Console.Error.WriteLine($"--port {options.Port}: must be between 0 and 65535");
                return 1;
            }
            WebApplication app;
            try
            {
                app = GatewayApp.Build(options);
            }
            catch (FormatException e)
            {
                // A malformed database: value (the message never includes a password).
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            await using var _ = app;
            PrintBanner(config, options);
            try
            {
                await app.RunAsync(cancel);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                // A clear line instead of a stack trace: the usual cause is a second gateway on the same port.
                Console.Error.WriteLine($"switchboard: cannot listen on {options.Host}:{options.Port}: the address is already in use (another process listens there; choose another --port)");
                return 1;
            }
            return 0;
        });
        return command;
    }

    private static void PrintBanner(GatewayConfig config, GatewayOptions options)
    {
        Console.WriteLine($"Switchboard on http://{options.Host}:{options.Port}  (config: {config.SourcePath ?? "built-in defaults"})");
        Console.WriteLine($"  {config.Providers.Length} provider(s), {config.Models.Length} model(s), {config.Keys.Length} key(s)");
        if (config.IsOpenMode)
        {
            Console.Error.WriteLine("""
                ***************************************************************************
                * WARNING: no keys and no master_key are configured.                      *
                * Single-user local mode: ANY bearer token is accepted. Do not expose     *
                * this address to a network. Add `keys:` or `master_key:` to lock it.     *
                ***************************************************************************
                """);
        }
    }
}
