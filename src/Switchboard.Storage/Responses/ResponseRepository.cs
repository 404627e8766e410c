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
    /// Inserts the rows in one statement (so all or none; ten parameters a row, so a few thousand rows at most: the
    /// store hands a few dozen); a row whose id is already stored is left as it is.
    /// </summary>
    public async Task InsertAsync(IReadOnlyList<StoredResponse> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return;
        var sql = new System.Text.StringBuilder($"INSERT INTO responses ({Columns}) VALUES ");
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(@id{i}, @owner{i}, @created{i}, @expires{i}, @provider{i}, @model{i}, @native{i}, @previous{i}, @input{i}, @response{i})");
        }
        sql.Append(" ON CONFLICT (id) DO NOTHING");
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = SwitchboardDatabase.Command(connection, sql.ToString());
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            insert.With("@id" + n, row.Id).With("@owner" + n, row.Owner).With("@created" + n, row.CreatedAt.ToUnixTimeMilliseconds())
                .With("@expires" + n, row.ExpiresAt.ToUnixTimeMilliseconds()).With("@provider" + n, row.Provider)
                .With("@model" + n, row.UpstreamModel).With("@native" + n, row.Native ? 1 : 0).With("@previous" + n, row.PreviousResponseId)
                .With("@input" + n, row.InputItemsJson).With("@response" + n, row.ResponseJson);
        }
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

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
