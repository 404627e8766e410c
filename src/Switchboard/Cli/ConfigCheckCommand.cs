using System.CommandLine;

namespace Switchboard.Cli;

/// <summary><c>config check [--config PATH]</c>: validates the config and says what it defines, or lists every error.</summary>
public static class ConfigCheckCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var check = new Command("check", "Validate the config file and exit (0 = valid)") { configOption };
        check.SetAction(parse =>
        {
            var config = ConfigSource.Load(parse.GetValue(configOption), Console.Error);
            if (config is null) return 1;
            Console.WriteLine($"{config.SourcePath ?? "built-in defaults"}: OK — {config.Providers.Length} provider(s), "
                + $"{config.Models.Length} model(s), {config.Keys.Length} key(s){(config.IsOpenMode ? " (open mode: any bearer accepted)" : "")}");
            return 0;
        });
        return new Command("config", "Work with the config file") { check };
    }
}
