using System.Collections.Immutable;
using System.Data.Common;
using Switchboard.Config;
using Switchboard.Limits;

namespace Switchboard.Storage.Keys;

/// <summary>
/// Keys and teams in the database. Every write bumps <c>change_sequence</c> in the same transaction, which is how
/// other gateway processes learn that their key cache is stale. Secrets are hashed before they get here.
/// </summary>
public sealed class KeyRepository(SwitchboardDatabase database, TimeProvider time)
{
    private const string KeyColumns =
        "id, name, secret_hash, secret_prefix, team, models, rpm, tpm, max_parallel, budget_nano_usd, budget_period, expires_at_ms, revoked_at_ms, created_at_ms, updated_at_ms, source";
    private const string TeamColumns = "name, rpm, tpm, max_parallel, budget_nano_usd, budget_period, source, created_at_ms, updated_at_ms";
    private const string BumpSequence = "UPDATE change_sequence SET seq = seq + 1 WHERE id = 1";

    public SwitchboardDatabase Database => database;

    /// <summary>Creates a key with a generated secret (or <paramref name="secret"/>), returning the secret once.</summary>
    public async Task<CreatedKey> CreateAsync(KeySpec spec, string source, string? secret = null, CancellationToken cancellationToken = default)
    {
        secret ??= KeySecrets.Generate();
        var now = time.GetUtcNow();
        var record = new KeyRecord
        {
            Id = KeySecrets.NewKeyId(),
            Name = spec.Name,
            SecretHash = KeySecrets.Hash(secret),
            SecretPrefix = KeySecrets.DisplayPrefix(secret),
            Team = spec.Team,
            Models = spec.Models,
            Limits = spec.Limits,
            ExpiresAt = spec.ExpiresAt,
            CreatedAt = now,
            UpdatedAt = now,
            Source = source,
        };
        await InTransactionAsync(async (connection, tx) =>
        {
            await using var insert = Bind(SwitchboardDatabase.Command(connection,
                $"INSERT INTO virtual_keys ({KeyColumns}) VALUES (@id, @name, @hash, @prefix, @team, @models, @rpm, @tpm, @par, @budget, @period, @exp, @rev, @created, @updated, @source)", tx), record);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return new CreatedKey(record, secret);
    }

    public async Task<IReadOnlyList<KeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadKeysAsync(connection, $"SELECT {KeyColumns} FROM virtual_keys ORDER BY created_at_ms, id", null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ReadKeysAsync(connection, $"SELECT {KeyColumns} FROM virtual_keys WHERE id = @id", id, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The key whose secret hashes to <paramref name="secretHash"/> (revoked ones too); null when none does. One indexed read.</summary>
    public async Task<KeyRecord?> FindByHashAsync(string secretHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // ReadKeysAsync binds its one parameter as @id.
        var rows = await ReadKeysAsync(connection, $"SELECT {KeyColumns} FROM virtual_keys WHERE secret_hash = @id", secretHash, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Applies <paramref name="patch"/>; null when there is no such key.</summary>
    public async Task<KeyRecord?> UpdateAsync(string id, KeyPatch patch, CancellationToken cancellationToken = default)
    {
        KeyRecord? updated = null;
        await InTransactionAsync(async (connection, tx) =>
        {
            var rows = await ReadKeysAsync(connection, $"SELECT {KeyColumns} FROM virtual_keys WHERE id = @id", id, cancellationToken, tx).ConfigureAwait(false);
            if (rows.Count == 0) return;
            var k = rows[0];
            updated = k with
            {
                Name = patch.Name.Or(k.Name),
                Team = patch.Team.Or(k.Team),
                Models = patch.Models.Or(k.Models),
                Limits = patch.Limits.ApplyTo(k.Limits),
                ExpiresAt = patch.ExpiresAt.Or(k.ExpiresAt),
                UpdatedAt = time.GetUtcNow(),
            };
            await using var update = Bind(SwitchboardDatabase.Command(connection,
                "UPDATE virtual_keys SET name=@name, team=@team, models=@models, rpm=@rpm, tpm=@tpm, max_parallel=@par, budget_nano_usd=@budget, " +
                "budget_period=@period, expires_at_ms=@exp, updated_at_ms=@updated WHERE id=@id", tx), updated);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Revokes a key (kept for the ledger's sake, refused from now on). False when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = false;
        await InTransactionAsync(async (connection, tx) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var update = SwitchboardDatabase.Command(connection,
                "UPDATE virtual_keys SET revoked_at_ms = COALESCE(revoked_at_ms, @now), updated_at_ms = @now WHERE id = @id", tx)
                .With("@now", now).With("@id", id);
            found = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>
    /// Makes the database match the config file's keys and teams: file keys are inserted or updated (a revocation
    /// made through the API sticks), keys that came from the file but are no longer in it are revoked, file teams
    /// are upserted and teams that came from the file but left it are deleted.
    /// </summary>
    public async Task SyncConfigAsync(ImmutableArray<KeyConfig> keys, ImmutableArray<TeamConfig> teams, CancellationToken cancellationToken = default)
    {
        await InTransactionAsync(async (connection, tx) =>
        {
            var now = time.GetUtcNow();
            foreach (var team in teams)
            {
                await UpsertTeamAsync(connection, tx, ToTeam(team) with { Source = RecordSource.Config, CreatedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
            }
            var teamNames = teams.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var existing in await ReadTeamsAsync(connection, tx, cancellationToken).ConfigureAwait(false))
            {
                if (existing.Source == RecordSource.Config && !teamNames.Contains(existing.Name))
                {
                    await using var delete = SwitchboardDatabase.Command(connection, "DELETE FROM teams WHERE name = @name", tx).With("@name", existing.Name);
                    await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                var record = FromConfig(key, now);
                ids.Add(record.Id);
                await using var upsert = Bind(SwitchboardDatabase.Command(connection,
                    $"INSERT INTO virtual_keys ({KeyColumns}) VALUES (@id, @name, @hash, @prefix, @team, @models, @rpm, @tpm, @par, @budget, @period, @exp, @rev, @created, @updated, @source) " +
                    "ON CONFLICT (id) DO UPDATE SET name=excluded.name, secret_hash=excluded.secret_hash, secret_prefix=excluded.secret_prefix, team=excluded.team, " +
                    "models=excluded.models, rpm=excluded.rpm, tpm=excluded.tpm, max_parallel=excluded.max_parallel, budget_nano_usd=excluded.budget_nano_usd, " +
                    "budget_period=excluded.budget_period, expires_at_ms=excluded.expires_at_ms, updated_at_ms=excluded.updated_at_ms, source=excluded.source", tx), record);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            foreach (var existing in await ReadKeysAsync(connection, $"SELECT {KeyColumns} FROM virtual_keys WHERE source = @id AND revoked_at_ms IS NULL", RecordSource.Config, cancellationToken, tx).ConfigureAwait(false))
            {
                if (ids.Contains(existing.Id)) continue;
                await using var revoke = SwitchboardDatabase.Command(connection,
                    "UPDATE virtual_keys SET revoked_at_ms = @now, updated_at_ms = @now WHERE id = @id", tx)
                    .With("@now", now.ToUnixTimeMilliseconds()).With("@id", existing.Id);
                await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The config file's key as the database stores it (also used to seed the cache when the database is down).</summary>
    public static KeyRecord FromConfig(KeyConfig key, DateTimeOffset now) => new()
    {
        Id = KeySecrets.ConfigKeyId(key.Name),
        Name = key.Name,
        SecretHash = KeySecrets.Hash(key.Key),
        SecretPrefix = KeySecrets.DisplayPrefix(key.Key),
        Team = key.Team,
        Models = key.Models,
        Limits = key.Limits,
        ExpiresAt = key.ExpiresAt,
        CreatedAt = now,
        UpdatedAt = now,
        Source = RecordSource.Config,
    };

    public static TeamRecord ToTeam(TeamConfig team) => new()
    {
        Name = team.Name,
        Limits = team.Limits,
        Source = RecordSource.Config,
    };

    // ---- teams -------------------------------------------------------------------------------------------------

    public async Task<IReadOnlyList<TeamRecord>> ListTeamsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadTeamsAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TeamRecord?> GetTeamAsync(string name, CancellationToken cancellationToken = default)
    {
        foreach (var team in await ListTeamsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (team.Name == name) return team;
        }
        return null;
    }

    /// <summary>Creates or replaces a team's limits.</summary>
    public async Task<TeamRecord> PutTeamAsync(TeamRecord team, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var stored = team with { CreatedAt = now, UpdatedAt = now };
        await InTransactionAsync((connection, tx) => UpsertTeamAsync(connection, tx, stored, cancellationToken), cancellationToken).ConfigureAwait(false);
        return (await GetTeamAsync(team.Name, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Deletes a team (its keys keep the team name but no longer share limits). False when absent.</summary>
    public async Task<bool> DeleteTeamAsync(string name, CancellationToken cancellationToken = default)
    {
        var found = false;
        await InTransactionAsync(async (connection, tx) =>
        {
            await using var delete = SwitchboardDatabase.Command(connection, "DELETE FROM teams WHERE name = @name", tx).With("@name", name);
            found = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
        return found;
    }

    // ---- cache support -----------------------------------------------------------------------------------------

    /// <summary>The change sequence (one tiny read): the key cache reloads when it moves.</summary>
    public async Task<long> ChangeSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection, "SELECT seq FROM change_sequence WHERE id = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every key and team with the sequence they correspond to, read in one transaction.</summary>
    public async Task<KeySnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection, "SELECT seq FROM change_sequence WHERE id = 1", tx);
        var seq = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        var keys = await ReadKeysAsync(connection, $"SELECT {KeyColumns} FROM virtual_keys", null, cancellationToken, tx).ConfigureAwait(false);
        var teams = await ReadTeamsAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new KeySnapshot(seq, keys, teams);
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private async Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await work(connection, tx).ConfigureAwait(false);
        await using (var bump = SwitchboardDatabase.Command(connection, BumpSequence, tx))
        {
            await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpsertTeamAsync(DbConnection connection, DbTransaction tx, TeamRecord team, CancellationToken cancellationToken)
    {
        await using var upsert = SwitchboardDatabase.Command(connection,
            $"INSERT INTO teams ({TeamColumns}) VALUES (@name, @rpm, @tpm, @par, @budget, @period, @source, @created, @updated) " +
            "ON CONFLICT (name) DO UPDATE SET rpm=excluded.rpm, tpm=excluded.tpm, max_parallel=excluded.max_parallel, " +
            "budget_nano_usd=excluded.budget_nano_usd, budget_period=excluded.budget_period, source=excluded.source, updated_at_ms=excluded.updated_at_ms", tx)
            .With("@name", team.Name).WithLimits(team.Limits).With("@source", team.Source)
            .With("@created", team.CreatedAt.ToUnixTimeMilliseconds()).With("@updated", team.UpdatedAt.ToUnixTimeMilliseconds());
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Bind(DbCommand command, KeyRecord k) => command
        .With("@id", k.Id).With("@name", k.Name).With("@hash", k.SecretHash).With("@prefix", k.SecretPrefix).With("@team", k.Team)
        .With("@models", k.Models is { } models ? string.Join('\n', models.AsEnumerable()) : null)
        .WithLimits(k.Limits)
        .With("@exp", DbValues.Ms(k.ExpiresAt)).With("@rev", DbValues.Ms(k.RevokedAt))
        .With("@created", k.CreatedAt.ToUnixTimeMilliseconds()).With("@updated", k.UpdatedAt.ToUnixTimeMilliseconds()).With("@source", k.Source);

    private static async Task<List<KeyRecord>> ReadKeysAsync(DbConnection connection, string sql, string? id, CancellationToken cancellationToken, DbTransaction? tx = null)
    {
        await using var command = SwitchboardDatabase.Command(connection, sql, tx);
        if (id is not null) command.With("@id", id);
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<KeyRecord>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var models = DbValues.Text(r, 5);
            result.Add(new KeyRecord
            {
                Id = r.GetString(0),
                Name = r.GetString(1),
                SecretHash = r.GetString(2),
                SecretPrefix = r.GetString(3),
                Team = DbValues.Text(r, 4),
                Models = models is null ? null : models.Length == 0 ? ImmutableArray<string>.Empty : [.. models.Split('\n')],
                Limits = ReadLimits(r, 6),
                ExpiresAt = DbValues.NullableTime(r, 11),
                RevokedAt = DbValues.NullableTime(r, 12),
                CreatedAt = DbValues.Time(r, 13),
                UpdatedAt = DbValues.Time(r, 14),
                Source = r.GetString(15),
            });
        }
        return result;
    }

    /// <summary>The five limit columns (rpm, tpm, max_parallel, budget_nano_usd, budget_period) from <paramref name="first"/> on.</summary>
    private static LimitSettings ReadLimits(DbDataReader r, int first) => new(
        DbValues.NullableInt(r, first), DbValues.NullableInt(r, first + 1), DbValues.NullableInt(r, first + 2),
        Money.FromNano(DbValues.NullableLong(r, first + 3)), BudgetPeriods.ParseStored(DbValues.Text(r, first + 4)));

    private static async Task<List<TeamRecord>> ReadTeamsAsync(DbConnection connection, DbTransaction? tx, CancellationToken cancellationToken)
    {
        await using var command = SwitchboardDatabase.Command(connection, $"SELECT {TeamColumns} FROM teams ORDER BY name", tx);
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<TeamRecord>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new TeamRecord
            {
                Name = r.GetString(0),
                Limits = ReadLimits(r, 1),
                Source = r.GetString(6),
                CreatedAt = DbValues.Time(r, 7),
                UpdatedAt = DbValues.Time(r, 8),
            });
        }
        return result;
    }
}

/// <summary>The limit columns' parameters, shared by the key and team statements.</summary>
internal static class LimitParameters
{
    /// <summary>Binds @rpm, @tpm, @par, @budget and @period as the database stores them (the period as its name, lifetime as null).</summary>
    public static DbCommand WithLimits(this DbCommand command, LimitSettings limits) => command
        .With("@rpm", limits.Rpm).With("@tpm", limits.Tpm).With("@par", limits.MaxParallel)
        .With("@budget", Money.ToNano(limits.BudgetUsd)).With("@period", limits.BudgetPeriod.Name());
}
