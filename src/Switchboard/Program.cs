using System.CommandLine;
using Switchboard.Cli;
using Switchboard.Hosting;

// First of all: `serve` on Linux restarts itself once with a larger gen0 budget (see Gen0Budget for why and how).
Gen0Budget.EnsureForServe(args);

// The upstream leg gets the same treatment as Kestrel's inline scheduling: socket completions run inline on the
// event thread. Read once by the socket engine, so it must be set before the first socket exists; an operator's
// own setting wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}


var configOption = new Option<string?>("--config", "-c") { Description = "Config file (default: $SWITCHBOARD_CONFIG, else ./switchboard.yaml)" };
var root = new RootCommand("Switchboard: one OpenAI-compatible endpoint in front of many model providers")
{
    ServeCommand.Create(configOption),
    ConfigCheckCommand.Create(configOption),
    ModelsCommand.Create(configOption),
    KeysCommand.Create(configOption),
    UsageCommand.Create(configOption),
    HealthCommand.Create(),
};
// System.CommandLine's own signal handling is off: on SIGTERM or Ctrl+C it cancelled the action and, after its default
// 2 s ProcessTerminationTimeout, returned from Main while `serve` was still draining (requests reset, ledger not
// flushed). The host's console lifetime handles those signals instead: `serve` drains (server.shutdown_timeout),
// flushes the ledger and then exits 0; the short verbs simply end on Ctrl+C.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
