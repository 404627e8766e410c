using System.CommandLine;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary><c>serve [--config PATH] [--host HOST] [--port N] [--log-format text|json]</c>: runs the gateway until Ctrl+C / SIGTERM.</summary>
public static partial class ServeCommand
{
    /// <summary>The environment variable <c>--log-format</c> falls back to.</summary>
    public const string LogFormatVariable = "SWITCHBOARD_LOG_FORMAT";

    public static Command Create(Option<string?> configOption)
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1, or server.host in the config)" };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 4000, or server.port in the config)" };
        var logFormat = new Option<string?>("--log-format")
        {
            Description = $"How log lines are written: text (one readable line) or json (one JSON object per line, for log shippers); default text, or {LogFormatVariable}",
        };
        var command = new Command("serve", "Run the gateway") { configOption, host, port, logFormat };
        command.SetAction(async (parse, cancel) =>
        {
            // The flag wins over the variable; an empty variable counts as unset, an empty flag does not.
            var (formatValue, source) = parse.GetValue(logFormat) is { } flag ? (flag, "--log-format") : (Environment.GetEnvironmentVariable(LogFormatVariable), LogFormatVariable);
            var format = LogFormat.Text;
            if ((source == "--log-format" || !string.IsNullOrEmpty(formatValue)) && !GatewayLogging.TryParseFormat(formatValue!, out format))
            {
                Console.Error.WriteLine($"{source} '{formatValue}': must be one of {GatewayLogging.AllowedFormats}");
                return 1;
            }
            var config = ConfigSource.Load(parse.GetValue(configOption), Console.Error);
            if (config is null) return 1;
            var options = new GatewayOptions
            {
                Config = config,
                Host = parse.GetValue(host) ?? config.Server.Host,
                Port = parse.GetValue(port) ?? config.Server.Port,
                LogFormat = format,
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
            if (format == LogFormat.Json) LogBanner(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard"), config, options);
            else PrintBanner(config, options);
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

    /// <summary>The banner as log entries: in the JSON format, stdout carries nothing but JSON lines.</summary>
    private static void LogBanner(ILogger logger, GatewayConfig config, GatewayOptions options)
    {
        var url = $"http://{options.Host}:{options.Port}";
        LogListening(logger, url, config.SourcePath ?? "built-in defaults", config.Providers.Length, config.Models.Length, config.Keys.Length);
        if (config.IsOpenMode) LogOpenMode(logger);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Switchboard on {Url} (config: {ConfigPath}): {Providers} provider(s), {Models} model(s), {Keys} key(s)")]
    private static partial void LogListening(ILogger logger, string url, string configPath, int providers, int models, int keys);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "No keys and no master_key are configured: single-user local mode, ANY bearer token is accepted. "
        + "Do not expose this address to a network; add `keys:` or `master_key:` to lock it.")]
    private static partial void LogOpenMode(ILogger logger);

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
