using Xunit.Abstractions;
using static Switchboard.Storage.Tests.Ledgers;

namespace Switchboard.Storage.Tests;

/// <summary>The ledger across a real PostgreSQL outage (a private cluster this test stops and starts).</summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    /// <summary>A migrated database on the private cluster.</summary>
    private static async Task<SwitchboardDatabase> MigratedAsync(PrivatePostgres pg)
    {
        var db = SwitchboardDatabase.FromConfigValue(pg.Url);
        await db.MigrateAsync();
        return db;
    }

    [PostgresFact]
    public async Task Postgres_stopped_mid_traffic_loses_no_ledger_row()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await using var db = await MigratedAsync(pg);
        var dir = Directory.CreateTempSubdirectory("sb-ledger-").FullName;
        var writer = await StartedWriterAsync(db, dir);

        var sent = 0;
        for (; sent < 500; sent++) writer.Record(LedgerTests.Row(sent));
        await pg.StopServerAsync();
        for (; sent < 1500; sent++) { writer.Record(LedgerTests.Row(sent)); if (sent % 100 == 0) await Task.Delay(10); }
        await Task.Delay(500);
        Assert.False(writer.IsHealthy);
        await pg.StartServerAsync();
        for (; sent < 2000; sent++) writer.Record(LedgerTests.Row(sent));

        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(60)), "the ledger did not catch up after the database came back");
        var stored = await CountAsync(db);
        output.WriteLine($"rows sent {sent}, rows stored {stored}, lost {sent - stored}");
        Assert.Equal(sent, stored);
        await writer.StopAsync(CancellationToken.None);
    }

    [PostgresFact]
    public async Task Graceful_stop_during_an_outage_parks_rows_on_disk_and_the_next_start_writes_them()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await using var db = await MigratedAsync(pg);
        var dir = Directory.CreateTempSubdirectory("sb-ledger-").FullName;
        var writer = await StartedWriterAsync(db, dir);
        await pg.StopServerAsync();
        for (var i = 0; i < 700; i++) writer.Record(LedgerTests.Row(i));

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3))) await writer.StopAsync(timeout.Token);
        Assert.True(File.Exists(writer.SpillPath));

        await pg.StartServerAsync();
        var next = await StartedWriterAsync(db, dir);
        Assert.True(await next.FlushAsync(TimeSpan.FromSeconds(60)));
        var stored = await CountAsync(db);
        output.WriteLine($"rows sent 700, rows stored {stored}");
        Assert.Equal(700, stored);
        await next.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(next.SpillPath));
    }
}
