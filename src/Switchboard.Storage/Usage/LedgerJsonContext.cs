using System.Text.Json.Serialization;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>Source-generated JSON for the ledger's spill file (one <see cref="UsageRecord"/> per line).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(UsageRecord))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
