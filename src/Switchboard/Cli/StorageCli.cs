using Spectre.Console;
using Switchboard.Config;
using Switchboard.Storage;
using Switchboard.Storage.Keys;

namespace Switchboard.Cli;

/// <summary>What the storage verbs share: the configured database (migrated, config keys synced) and a table console.</summary>
internal static class StorageCli
{
    /// <summary>Opens the config's database; null (error printed) when the config or the database is unusable.</summary>
    public static async Task<(GatewayConfig Config, SwitchboardDatabase Database)?> OpenAsync(string? configFlag, CancellationToken cancellationToken)
    {
        var config = ConfigSource.Load(configFlag, Console.Error);
        if (config is null) return null;
        SwitchboardDatabase database;
        try
        {
            database = SwitchboardDatabase.FromConfigValue(config.Database);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine(e.Message);
            return null;
        }
        try
        {
            await database.MigrateAsync(cancellationToken);
            await new KeyRepository(database, TimeProvider.System).SyncConfigAsync(config.Keys, config.Teams, cancellationToken);
            return (config, database);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // Display never includes the password.
            Console.Error.WriteLine($"database {database.Location.Display}: {e.Message}");
            await database.DisposeAsync();
            return null;
        }
    }

    /// <summary>A console that does not wrap tables when stdout is a pipe or a file.</summary>
    public static IAnsiConsole Console_() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = InteractionSupport.No,
    }) is var console && Console.IsOutputRedirected ? WithWidth(console) : console;

    private static IAnsiConsole WithWidth(IAnsiConsole console)
    {
        console.Profile.Width = 240;
        return console;
    }

    public static string Text(object? value) => value switch
    {
        null => "-",
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };
}
