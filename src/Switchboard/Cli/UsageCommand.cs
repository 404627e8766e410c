using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchboard.Storage.Usage;

namespace Switchboard.Cli;

/// <summary><c>usage [--group-by key|team|model|provider|day] [--from] [--to] ...</c>: the ledger's totals as a table.</summary>
public static class UsageCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var groupBy = new Option<string?>("--group-by") { Description = "key, team, model, provider or day (default: one total)" };
        groupBy.AcceptOnlyFromAmong("key", "team", "model", "provider", "day");
        var from = new Option<DateTimeOffset?>("--from") { Description = "From this time (ISO-8601, inclusive)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Up to this time (exclusive)" };
        var keyId = new Option<string?>("--key-id") { Description = "Only this key" };
        var model = new Option<string?>("--model") { Description = "Only this model" };
        var team = new Option<string?>("--team") { Description = "Only this team" };
        var command = new Command("usage", "Print usage totals from the ledger") { configOption, groupBy, from, to, keyId, model, team };
        command.SetAction(async (parse, cancel) =>
        {
            if (await StorageCli.OpenAsync(parse.GetValue(configOption), cancel) is not var (_, db)) return 1;
            await using (db)
            {
                var filter = new UsageFilter
                {
                    KeyId = parse.GetValue(keyId),
                    Model = parse.GetValue(model),
                    Team = parse.GetValue(team),
                    From = parse.GetValue(from)?.ToUniversalTime(),
                    To = parse.GetValue(to)?.ToUniversalTime(),
                };
                var queries = new UsageQueries(db);
                var by = parse.GetValue(groupBy);
                var table = new Table().AddColumns(by ?? "", "requests", "prompt", "completion", "cached", "reasoning", "cost_usd", "unpriced", "failed");
                if (by is not null)
                {
                    var grouping = Enum.Parse<UsageGrouping>(by, ignoreCase: true);
                    foreach (var g in await queries.GroupsAsync(filter, grouping, cancel))
                    {
                        var label = g.Label is null ? g.Group ?? "(none)" : $"{g.Label} ({g.Group})";
                        AddRow(table, label, g.Totals);
                    }
                }
                AddRow(table, "total", await queries.TotalsAsync(filter, cancel));
                StorageCli.Console_().Write(table);
            }
            return 0;
        });
        return command;
    }

    private static void AddRow(Table table, string label, UsageTotals t) => table.AddRow(
        Markup.Escape(label), N(t.Requests), N(t.PromptTokens), N(t.CompletionTokens), N(t.CachedTokens), N(t.ReasoningTokens),
        t.CostUsd.ToString("0.######", CultureInfo.InvariantCulture), N(t.UnpricedRequests), N(t.FailedRequests));

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
