using System.Text.Json.Serialization;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>Source-generated JSON for the ledger's spill file (one <see cref="UsageRecord"/> per line) and quarantine file.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(UsageRecord))]
[JsonSerializable(typeof(QuarantinedRow))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
