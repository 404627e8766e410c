using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// Where the ledger writer puts a row the database refuses: <c>ledger-quarantine.jsonl</c> beside the spill file, one
/// JSON object a line (<see cref="QuarantinedRow"/>: when, why, and the row as the spill file holds it, or the raw line
/// when a spill-file line was not a row at all). The writer goes on with the other rows, so one bad row can never stop
/// the ledger; the file is for an operator to inspect (and, once the cause is fixed, to write back by hand).
/// </summary>
internal sealed class LedgerQuarantine(string directory)
{
    public const string FileName = "ledger-quarantine.jsonl";

    private readonly Lock _gate = new();

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    public void Add(UsageRecord row, string reason) => Append(new QuarantinedRow(DateTimeOffset.UtcNow, reason, row, null));

    public void AddLine(string line, string reason) => Append(new QuarantinedRow(DateTimeOffset.UtcNow, reason, null, line));

    private void Append(QuarantinedRow entry)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, LedgerJsonContext.Default.QuarantinedRow) + "\n");
        lock (_gate)
        {
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// True when the database refused the rows' data itself, so sending the same rows again fails the same way:
    /// PostgreSQL SQLSTATE classes 22 (data exception, e.g. 22021 a NUL byte) and 23 (integrity constraint), SQLite's
    /// CONSTRAINT, MISMATCH and TOOBIG, or a value the client library could not encode. Connection and availability
    /// errors are not (<see cref="SwitchboardDatabase.IsTransient"/>): those rows are kept and retried.
    /// </summary>
    public static bool IsRowError(Exception exception) => exception switch
    {
        // 22 data exception, 23 integrity violation, 54 program limit exceeded (a value too large for an index entry).
        PostgresException pg => pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("54", StringComparison.Ordinal),
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is 18 or 19 or 20, // TOOBIG, CONSTRAINT, MISMATCH
        EncoderFallbackException => true,
        OperationCanceledException => false,
        _ => exception.InnerException is { } inner && !SwitchboardDatabase.IsTransient(exception) && IsRowError(inner),
    };

    /// <summary>The database's own words for the refusal (no row content beyond what the database quotes).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        SqliteException sqlite => sqlite.Message,
        _ when exception.InnerException is { } inner && IsRowError(inner) => Describe(inner),
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}

/// <summary>One line of the quarantine file.</summary>
internal sealed record QuarantinedRow(
    [property: JsonPropertyName("quarantined_at")] DateTimeOffset QuarantinedAt,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("row"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageRecord? Row,
    [property: JsonPropertyName("line"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Line);
