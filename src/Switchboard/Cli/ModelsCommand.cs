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
                var strategy = Config.RoutingMapperNames.Of(model.Strategy ?? config.Routing.DefaultStrategy);
                Console.WriteLine($"{model.Name}  ({strategy}{(model.Hidden ? ", hidden" : "")})");
                foreach (var d in model.Deployments)
                {
                    var price = d.InputPerMTok is null && d.OutputPerMTok is null ? "built-in price" : $"${d.InputPerMTok}/${d.OutputPerMTok} per Mtok";
                    Console.WriteLine($"  -> {d.Provider}/{d.Model}  weight {d.Weight}{(d.Priority is { } p ? $"  priority {p}" : "")}  {price}");
                }
                if (config.Fallbacks.TryGetValue(model.Name, out var chain)) Console.WriteLine($"  fallbacks: {string.Join(", ", chain)}");
                if (config.ContextWindowFallbacks.TryGetValue(model.Name, out var window)) Console.WriteLine($"  context window fallbacks: {string.Join(", ", window)}");
                if (config.ContentPolicyFallbacks.TryGetValue(model.Name, out var policy)) Console.WriteLine($"  content policy fallbacks: {string.Join(", ", policy)}");
            }
            return 0;
        });
        return command;
    }
}
