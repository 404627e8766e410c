using System.CommandLine;
using Switchboard.Cli;

var configOption = new Option<string?>("--config", "-c") { Description = "Config file (default: $SWITCHBOARD_CONFIG, else ./switchboard.yaml)" };
var root = new RootCommand("Switchboard: one OpenAI-compatible endpoint in front of many model providers")
{
    ServeCommand.Create(configOption),
    ConfigCheckCommand.Create(configOption),
    ModelsCommand.Create(configOption),
};
return await root.Parse(args).InvokeAsync();
