using System.Collections.Immutable;
using Switchboard.Config;
using Switchboard.Storage.Keys;
using Switchboard.Limits;

namespace Switchboard.Storage.Tests;

public sealed class KeyRepositoryTests
{
    [Theory, SqliteBackend, PostgresBackend]
    public async Task Created_key_returns_its_secret_once_and_stores_only_a_hash(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var keys = new KeyRepository(db, TimeProvider.System);

        var created = await keys.CreateAsync(new KeySpec { Name = "ci", Team = "ops", Models = ["gpt-4o"], Limits = new LimitSettings(Rpm: 5, BudgetUsd: 1.25m, BudgetPeriod: BudgetPeriod.Daily) }, RecordSource.Api);

        Assert.StartsWith("sk-sb-", created.Secret, StringComparison.Ordinal);
        Assert.True(created.Secret.Length >= 38);
        Assert.Equal(created.Secret[..10] + "…", created.Key.SecretPrefix);
        var stored = await keys.GetAsync(created.Key.Id);
        Assert.NotNull(stored);
        Assert.Equal(("ci", "ops", 5, 1.25m, BudgetPeriod.Daily), (stored.Name, stored.Team, stored.Limits.Rpm!.Value, stored.Limits.BudgetUsd!.Value, stored.Limits.BudgetPeriod));
        Assert.Equal(["gpt-4o"], stored.Models!.Value.ToArray());
        Assert.Equal(KeySecrets.Hash(created.Secret), stored.SecretHash);
        Assert.False(await DatabaseText.ContainsAsync(db, created.Secret), "the secret itself is in the database");
        Assert.False(await DatabaseText.ContainsAsync(db, created.Secret[10..]), "a tail of the secret is in the database");
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Patch_changes_only_named_fields_and_revoke_marks_the_key(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var keys = new KeyRepository(db, TimeProvider.System);
        var created = await keys.CreateAsync(new KeySpec { Name = "a", Limits = new LimitSettings(Rpm: 5, Tpm: 100) }, RecordSource.Api);

        var updated = await keys.UpdateAsync(created.Key.Id, new KeyPatch { Limits = new LimitPatch { Rpm = Optional.Of<int?>(9), Tpm = Optional.Of<int?>(null) } });

        Assert.Equal((9, (int?)null, "a"), (updated!.Limits.Rpm!.Value, updated.Limits.Tpm, updated.Name));
        Assert.Null(await keys.UpdateAsync("key_missing", new KeyPatch()));
        Assert.True(await keys.RevokeAsync(created.Key.Id));
        Assert.False(await keys.RevokeAsync("key_missing"));
        Assert.NotNull((await keys.GetAsync(created.Key.Id))!.RevokedAt);
        Assert.Single(await keys.ListAsync());
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Config_keys_are_upserted_and_keys_removed_from_the_file_are_revoked(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var keys = new KeyRepository(db, TimeProvider.System);
        ImmutableArray<KeyConfig> first = [new() { Key = "file-secret-one-123", Name = "one", Limits = new LimitSettings(Rpm: 1) }, new() { Key = "file-secret-two-456", Name = "two" }];
        ImmutableArray<TeamConfig> teams = [new() { Name = "ops", Limits = new LimitSettings(Tpm: 1000) }];

        await keys.SyncConfigAsync(first, teams);
        await keys.SyncConfigAsync([first[0] with { Limits = new LimitSettings(Rpm: 7) }], []);

        var all = (await keys.ListAsync()).ToDictionary(k => k.Name);
        Assert.Equal(2, all.Count);
        Assert.Equal(RecordSource.Config, all["one"].Source);
        Assert.Equal(7, all["one"].Limits.Rpm);
        Assert.Null(all["one"].RevokedAt);
        Assert.NotNull(all["two"].RevokedAt);
        Assert.Empty(await keys.ListTeamsAsync());
        Assert.False(await DatabaseText.ContainsAsync(db, "file-secret-one-123"));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Directory_builds_identities_with_key_and_team_limits_and_forgets_revoked_keys(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var keys = new KeyRepository(db, TimeProvider.System);
        var config = new GatewayConfig { Teams = [new TeamConfig { Name = "ops", Limits = new LimitSettings(Rpm: 100, BudgetUsd: 50, BudgetPeriod: BudgetPeriod.Monthly) }] };
        using var directory = new KeyDirectory(keys, config, TimeProvider.System, NullLogger<KeyDirectory>.Instance);
        await directory.StartAsync(CancellationToken.None);
        var created = await keys.CreateAsync(new KeySpec { Name = "svc", Team = "ops", Limits = new LimitSettings(Tpm: 10), Models = ["m"] }, RecordSource.Api);
        await directory.RefreshAsync();

        Assert.True(directory.TryFind(created.Secret, out var identity));
        Assert.Equal((created.Key.Id, "svc", "ops"), (identity.KeyId, identity.Name, identity.Team));
        Assert.Equal(10, identity.Limits!.Tpm);
        Assert.Equal(new LimitSettings(100, null, null, 50m, BudgetPeriod.Monthly), identity.TeamLimits);
        Assert.True(identity.MayUse("m"));
        Assert.False(identity.MayUse("other"));
        Assert.True(directory.IsDatabaseHealthy);

        await keys.RevokeAsync(created.Key.Id);
        await directory.RefreshAsync();
        Assert.False(directory.TryFind(created.Secret, out _));
        Assert.True(directory.IsRevoked(created.Secret));
        await directory.StopAsync(CancellationToken.None);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task An_unknown_key_is_looked_up_by_hash_so_another_process_key_works_before_the_next_poll(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db1 = await test.OpenMigratedAsync();
        await using var db2 = test.Open();
        var keys1 = new KeyRepository(db1, TimeProvider.System);
        using var other = new KeyDirectory(new KeyRepository(db2, TimeProvider.System), new GatewayConfig(), TimeProvider.System, NullLogger<KeyDirectory>.Instance);
        // Connected, then its poller stopped: only the lookup by hash can learn the keys created from here on.
        await other.StartAsync(CancellationToken.None);
        await other.StopAsync(CancellationToken.None);
        await keys1.PutTeamAsync(new TeamRecord { Name = "new-team", Limits = new LimitSettings(Rpm: 9) });
        var created = await keys1.CreateAsync(new KeySpec { Name = "fresh", Team = "new-team", Limits = new LimitSettings(Tpm: 10) }, RecordSource.Api);
        var revoked = await keys1.CreateAsync(new KeySpec { Name = "gone" }, RecordSource.Api);
        await keys1.RevokeAsync(revoked.Key.Id);

        Assert.False(other.TryFind(created.Secret, out _));
        var identity = await other.FindUncachedAsync(created.Secret, CancellationToken.None);
        Assert.NotNull(identity);
        Assert.Equal((created.Key.Id, "fresh", "new-team", 10), (identity.KeyId, identity.Name, identity.Team, identity.Limits!.Tpm));
        Assert.Equal(9, identity.TeamLimits!.Rpm);
        var lookups = other.UncachedLookups;
        Assert.Same(identity, await other.FindUncachedAsync(created.Secret, CancellationToken.None)); // remembered: no second read
        Assert.Equal(lookups, other.UncachedLookups);

        Assert.Null(await other.FindUncachedAsync(revoked.Secret, CancellationToken.None));
        Assert.Null(await other.FindUncachedAsync("sk-sb-no-such-key", CancellationToken.None));
        lookups = other.UncachedLookups;
        Assert.Null(await other.FindUncachedAsync("sk-sb-no-such-key", CancellationToken.None)); // the miss is remembered
        Assert.Equal(lookups, other.UncachedLookups);
    }

    [Fact]
    public async Task Random_unknown_keys_cannot_drive_more_than_the_rate_limit_of_database_lookups()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        await using var db = await test.OpenMigratedAsync();
        using var directory = new KeyDirectory(new KeyRepository(db, TimeProvider.System), new GatewayConfig(), TimeProvider.System, NullLogger<KeyDirectory>.Instance);
        await directory.StartAsync(CancellationToken.None);
        await directory.StopAsync(CancellationToken.None);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => directory.FindUncachedAsync($"sk-random-{i}", CancellationToken.None).AsTask()));

        Assert.All(answers, Assert.Null);
        // One bucket of lookups, plus at most one refill should the burst straddle it.
        Assert.InRange(directory.UncachedLookups, 1, 2 * KeyDirectory.UncachedLookupsPerSecond);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_second_directory_sees_another_ones_revocation_by_polling(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db1 = await test.OpenMigratedAsync();
        await using var db2 = test.Open();
        var keys1 = new KeyRepository(db1, TimeProvider.System);
        var keys2 = new KeyRepository(db2, TimeProvider.System);
        using var other = new KeyDirectory(keys2, new GatewayConfig(), TimeProvider.System, NullLogger<KeyDirectory>.Instance);
        var created = await keys1.CreateAsync(new KeySpec { Name = "k" }, RecordSource.Api);
        await other.StartAsync(CancellationToken.None);
        Assert.True(other.TryFind(created.Secret, out _));

        await keys1.RevokeAsync(created.Key.Id);

        // The poller (not a refresh call) must pick it up; 5 s is a generous bound for a loaded CI box.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (other.TryFind(created.Secret, out _) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.False(other.TryFind(created.Secret, out _));
        await other.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task With_the_database_unreachable_config_keys_still_authenticate_and_health_says_so()
    {
        // A PostgreSQL URL on a port nothing listens on: connection refused at once.
        await using var db = SwitchboardDatabase.FromConfigValue("postgres://u:pw@127.0.0.1:1/none");
        var config = new GatewayConfig { Keys = [new KeyConfig { Key = "cfg-secret-abcdef", Name = "cfg" }] };
        using var directory = new KeyDirectory(new KeyRepository(db, TimeProvider.System), config, TimeProvider.System, NullLogger<KeyDirectory>.Instance);
        await directory.StartAsync(CancellationToken.None);

        Assert.False(directory.IsDatabaseHealthy);
        Assert.True(directory.TryFind("cfg-secret-abcdef", out var identity));
        Assert.Equal("cfg", identity.Name);
        Assert.False(directory.TryFind("nope", out _));
        await directory.StopAsync(CancellationToken.None);
    }
}
