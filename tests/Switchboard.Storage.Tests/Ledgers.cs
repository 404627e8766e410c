namespace Switchboard.Storage.Tests;

/// <summary>What the ledger tests share: a writer on a test database, and the number of rows it stored.</summary>
internal static class Ledgers
{
    /// <summary>How many rows <c>usage_ledger</c> holds.</summary>
    public static async Task<long> CountAsync(SwitchboardDatabase db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = SwitchboardDatabase.Command(connection, "SELECT COUNT(*) FROM usage_ledger");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A ledger writer on <paramref name="db"/> that spills to <paramref name="dir"/>, not started yet.</summary>
    public static LedgerWriter Writer(SwitchboardDatabase db, string dir) => new(new LedgerRepository(db), dir, NullLogger<LedgerWriter>.Instance);

    /// <summary>A started ledger writer on <paramref name="db"/> that spills to <paramref name="dir"/>.</summary>
    public static async Task<LedgerWriter> StartedWriterAsync(SwitchboardDatabase db, string dir)
    {
        var writer = Writer(db, dir);
        await writer.StartAsync(CancellationToken.None);
        return writer;
    }
}
