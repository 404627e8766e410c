using System.Data.Common;
using Switchboard.Providers.OpenAI.Responses.Stored;

namespace Switchboard.Storage.Responses;

/// <summary>
/// Stored Responses API answers in the database (table <c>responses</c>). Every read and delete is scoped to an owner
/// and a moment: a row that is another key's or past its <c>expires_at_ms</c> is not there.
/// </summary>
public sealed class ResponseRepository(SwitchboardDatabase database)
{
    private const string Columns =
        "id, owner_key_id, created_at_ms, expires_at_ms, provider, upstream_model, native, previous_response_id, input_items, response";

    /// <summary>How far a chain of <c>previous_response_id</c> is followed (a conversation of this many turns).</summary>
    public const int MaxChainLength = 10_000;

    public SwitchboardDatabase Database => database;

    /// <summary>
    /// Inserts the rows all or none (PostgreSQL: one statement, ten parameters a row, so a few thousand rows at most:
    /// the store hands a few dozen; SQLite: see <see cref="InsertEachAsync"/>); a row whose id is already stored is
    /// left as it is.
    /// </summary>
    public async Task InsertAsync(IReadOnlyList<StoredResponse> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!database.IsPostgres)
        {
            await InsertEachAsync(connection, rows, cancellationToken).ConfigureAwait(false);
            return;
        }
        var sql = new System.Text.StringBuilder($"INSERT INTO responses ({Columns}) VALUES ");
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(@id{i}, @owner{i}, @created{i}, @expires{i}, @provider{i}, @model{i}, @native{i}, @previous{i}, @input{i}, @response{i})");
        }
        sql.Append(" ON CONFLICT (id) DO NOTHING");
        await using var insert = SwitchboardDatabase.Command(connection, sql.ToString());
        for (var i = 0; i < rows.Count; i++) Bind(insert, rows[i], i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// SQLite finds each named parameter by a linear scan of the statement's names, so binding a many-row statement
    /// costs rows² name compares (it led the gateway's CPU profile under load); one single-row statement, prepared
    /// once and run per row in one transaction, costs rows.
    /// </summary>
    private static async Task InsertEachAsync(DbConnection connection, IReadOnlyList<StoredResponse> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = SwitchboardDatabase.Command(connection,
            $"INSERT INTO responses ({Columns}) VALUES (@id, @owner, @created, @expires, @provider, @model, @native, @previous, @input, @response) ON CONFLICT (id) DO NOTHING",
            transaction);
        foreach (var row in rows)
        {
            insert.Parameters.Clear();
            Bind(insert, row, "");
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Bind(DbCommand insert, StoredResponse row, string suffix) =>
        insert.With("@id" + suffix, row.Id).With("@owner" + suffix, row.Owner).With("@created" + suffix, row.CreatedAt.ToUnixTimeMilliseconds())
            .With("@expires" + suffix, row.ExpiresAt.ToUnixTimeMilliseconds()).With("@provider" + suffix, row.Provider)
            .With("@model" + suffix, row.UpstreamModel).With("@native" + suffix, row.Native ? 1 : 0).With("@previous" + suffix, row.PreviousResponseId)
            .With("@input" + suffix, row.InputItemsJson).With("@response" + suffix, row.ResponseJson);

    /// <summary>The owner's unexpired response <paramref name="id"/>, or null.</summary>
    public async Task<StoredResponse?> FindAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Scoped(SwitchboardDatabase.Command(connection,
            $"SELECT {Columns} FROM responses WHERE id = @id AND owner_key_id = @owner AND expires_at_ms > @now"), id, owner, now);
        var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Response <paramref name="id"/> and the ones it continues, newest first, in one query; the chain ends at a
    /// response that is missing, expired or (never, in practice) another owner's.
    /// </summary>
    public async Task<IReadOnlyList<StoredResponse>> FindChainAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Scoped(SwitchboardDatabase.Command(connection,
            "WITH RECURSIVE chain (id, previous_response_id, depth) AS (" +
            " SELECT id, previous_response_id, 0 FROM responses WHERE id = @id AND owner_key_id = @owner AND expires_at_ms > @now" +
            " UNION ALL" +
            " SELECT r.id, r.previous_response_id, c.depth + 1 FROM responses r JOIN chain c ON r.id = c.previous_response_id" +
            "  WHERE r.owner_key_id = @owner AND r.expires_at_ms > @now AND c.depth < @max)" +
            $" SELECT {Prefixed("r.")} FROM responses r JOIN chain c ON r.id = c.id ORDER BY c.depth"), id, owner, now)
            .With("@max", MaxChainLength - 1);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the owner's unexpired response <paramref name="id"/>; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Scoped(SwitchboardDatabase.Command(connection,
            "DELETE FROM responses WHERE id = @id AND owner_key_id = @owner AND expires_at_ms > @now"), id, owner, now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Deletes up to <paramref name="batch"/> expired rows; returns how many (fewer than the batch: none are left).</summary>
    public async Task<int> PruneAsync(DateTimeOffset now, int batch, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection,
            "DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE expires_at_ms <= @now LIMIT @batch)")
            .With("@now", now.ToUnixTimeMilliseconds()).With("@batch", batch);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Scoped(DbCommand command, string id, string owner, DateTimeOffset now) =>
        command.With("@id", id).With("@owner", owner).With("@now", now.ToUnixTimeMilliseconds());

    private static string Prefixed(string alias) => alias + Columns.Replace(", ", ", " + alias, StringComparison.Ordinal);

    private static async Task<List<StoredResponse>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredResponse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // One line per pair of columns, in Columns' order.
            rows.Add(new StoredResponse
            {
                Id = reader.GetString(0), Owner = reader.GetString(1),
                CreatedAt = DbValues.Time(reader, 2), ExpiresAt = DbValues.Time(reader, 3),
                Provider = reader.GetString(4), UpstreamModel = reader.GetString(5),
                Native = DbValues.Bool(reader, 6), PreviousResponseId = DbValues.Text(reader, 7),
                InputItemsJson = reader.GetString(8), ResponseJson = reader.GetString(9),
            });
        }
        return rows;
    }
}
