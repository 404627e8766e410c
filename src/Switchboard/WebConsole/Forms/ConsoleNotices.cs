using Switchboard.Admin;
using Switchboard.Storage;

namespace Switchboard.WebConsole.Forms;

/// <summary>Notices the keys and teams pages share.</summary>
public static class ConsoleNotices
{
    public const string DatabaseDown =
        "The database is unreachable right now, so nothing was read or changed. Traffic for known keys is unaffected; try again shortly.";

    public const string ConfirmRequired = "Tick the box to confirm.";

    /// <summary>Runs a write; the notice to show when the database is unreachable, else null.</summary>
    public static async Task<string?> WriteAsync(Func<Task> write)
    {
        try
        {
            await write();
            return null;
        }
        catch (Exception e) when (SwitchboardDatabase.IsUnavailable(e))
        {
            return DatabaseDown;
        }
    }
}
