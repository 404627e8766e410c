using Switchboard.Storage;
using Switchboard.Testing;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// The fuzzer against a gateway whose ledger is on PostgreSQL, which refuses text SQLite stores (a NUL byte in a model
/// name once stopped the ledger for good): no 5xx, and afterwards the ledger has written every row and the gateway
/// reports ready. Seed 3 is the seed that found that bug.
/// </summary>
public sealed class FuzzOnPostgresTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    private TestDatabase? _database;

    protected override string ExtraModels => """
          gpt-4o: [{ provider: mock, model: gpt-4o }]
        """;

    protected override string ExtraTopLevel => $"database: \"{_database!.ConfigValue}\"\n";

    public override async Task InitializeAsync()
    {
        if (TestDatabase.PostgresSkipReason is not null) return;
        _database = await TestDatabase.CreateAsync(StorageBackend.Postgres);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_database is null) return;
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [PostgresFact]
    public async Task Hostile_requests_get_no_5xx_and_never_stop_the_postgres_ledger()
    {
        var report = await FuzzTests.FuzzAsync(Gateway, seed: 3, requests: 3_000);
        Assert.True(report.Failures.IsEmpty, report.Summary());

        using var client = Gateway.Client(TestConfigs.MasterKey);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string body;
        HttpStatusCode status;
        do
        {
            using var ready = await client.GetAsync("/health/ready");
            (status, body) = (ready.StatusCode, await ready.Content.ReadAsStringAsync());
            if (status == HttpStatusCode.OK && JsonDocument.Parse(body).RootElement.GetProperty("ledger_pending").GetInt64() == 0) return;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"the ledger did not drain after the fuzz run: {(int)status} {body}");
    }
}
