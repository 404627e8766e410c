using System.CommandLine;

namespace Switchboard.Cli;

/// <summary><c>models [--config PATH]</c>: prints each public model with its deployments and fallbacks.</summary>
public static class ModelsCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var command = new Command("models", "List the models the config defines") { configOption };
        command.SetAction(parse =>
        {
            var config = ConfigSource.Load(parse.GetValue(configOption), Console.Error);
            if (config is null) return 1;
            foreach (var model in config.Models)
            {
                Console.WriteLine(model.Name);
                foreach (var d in model.Deployments)
                {
                    var price = d.InputPerMTok is null && d.OutputPerMTok is null ? "built-in price" : $"${d.InputPerMTok}/${d.OutputPerMTok} per Mtok";
                    Console.WriteLine($"  -> {d.Provider}/{d.Model}  weight {d.Weight}  {price}");
                }
                if (config.Fallbacks.TryGetValue(model.Name, out var chain)) Console.WriteLine($"  fallbacks: {string.Join(", ", chain)}");
            }
            return 0;
        });
        return command;
    }
}
