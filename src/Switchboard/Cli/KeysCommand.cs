using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Limits;

namespace Switchboard.Cli;

/// <summary><c>keys list | create | revoke</c>: manage virtual keys directly in the configured database.</summary>
public static class KeysCommand
{
    public static Command Create(Option<string?> configOption)
    {
        var list = new Command("list", "List keys (secrets are never shown; only a short prefix)") { configOption };
        list.SetAction(async (parse, cancel) =>
        {
            if (await StorageCli.OpenAsync(parse.GetValue(configOption), cancel) is not var (_, db)) return 1;
            await using (db)
            {
                var keys = await new KeyRepository(db, TimeProvider.System).ListAsync(cancel);
                var table = new Table().AddColumns("id", "name", "prefix", "team", "models", "rpm", "tpm", "parallel", "budget", "expires", "status", "source");
                foreach (var k in keys)
                {
                    var status = k.IsRevoked ? "revoked" : k.ExpiresAt is { } e && e <= DateTimeOffset.UtcNow ? "expired" : "active";
                    var budget = k.Limits.BudgetUsd is { } b ? $"${b.ToString(CultureInfo.InvariantCulture)}{(k.Limits.BudgetPeriod.Name() is { } p ? "/" + p : "")}" : "-";
                    table.AddRow(Markup.Escape(k.Id), Markup.Escape(k.Name), Markup.Escape(k.SecretPrefix), Markup.Escape(k.Team ?? "-"),
                        Markup.Escape(k.Models is { } m ? string.Join(",", m) : "*"), StorageCli.Text(k.Limits.Rpm), StorageCli.Text(k.Limits.Tpm),
                        StorageCli.Text(k.Limits.MaxParallel), Markup.Escape(budget), StorageCli.Text(k.ExpiresAt), status, k.Source);
                }
                StorageCli.Console_().Write(table);
            }
            return 0;
        });

        var name = new Option<string>("--name") { Description = "Key name (shown in logs and usage)", Required = true };
        var team = new Option<string?>("--team") { Description = "Team the key belongs to" };
        var models = new Option<string?>("--models") { Description = "Comma-separated models the key may use (default: every model)" };
        var rpm = new Option<int?>("--rpm") { Description = "Requests per minute" };
        var tpm = new Option<int?>("--tpm") { Description = "Tokens per minute" };
        var parallel = new Option<int?>("--max-parallel") { Description = "Requests in flight at once" };
        var budget = new Option<decimal?>("--budget-usd") { Description = "Spend cap in USD" };
        var period = new Option<string?>("--budget-period") { Description = "daily or monthly (default: lifetime)" };
        var expires = new Option<DateTimeOffset?>("--expires-at") { Description = "Expiry (ISO-8601, UTC)" };
        var create = new Command("create", "Create a key and print its secret (shown only this once)")
            { configOption, name, team, models, rpm, tpm, parallel, budget, period, expires };
        create.SetAction(async (parse, cancel) =>
        {
            var periodText = parse.GetValue(period);
            if (!BudgetPeriods.TryParse(periodText, out var budgetPeriod))
            {
                Console.Error.WriteLine($"--budget-period: expected daily or monthly, got '{periodText}'");
                return 1;
            }
            foreach (var (flag, value) in new[] { ("--rpm", parse.GetValue(rpm)), ("--tpm", parse.GetValue(tpm)), ("--max-parallel", parse.GetValue(parallel)) })
            {
                if (value is < 1) { Console.Error.WriteLine($"{flag}: must be a positive whole number"); return 1; }
            }
            if (parse.GetValue(budget) is < 0) { Console.Error.WriteLine("--budget-usd: must be >= 0"); return 1; }
            foreach (var (flag, value) in new[] { ("--name", parse.GetValue(name)), ("--team", parse.GetValue(team)) })
            {
                if (value is not null && !StoredText.IsValidName(value))
                {
                    Console.Error.WriteLine($"{flag}: must be text without control characters (such as NUL) or unpaired surrogates");
                    return 1;
                }
            }
            if (await StorageCli.OpenAsync(parse.GetValue(configOption), cancel) is not var (config, db)) return 1;
            await using (db)
            {
                ImmutableArray<string>? allowed = parse.GetValue(models) is { } list
                    ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                    : null;
                foreach (var model in allowed ?? [])
                {
                    if (!config.Models.Any(m => m.Name == model)) { Console.Error.WriteLine($"--models: unknown model '{model}'"); return 1; }
                }
                var created = await new KeyRepository(db, TimeProvider.System).CreateAsync(new KeySpec
                {
                    Name = parse.GetValue(name)!.Trim(),
                    Team = parse.GetValue(team),
                    Models = allowed,
                    Limits = new LimitSettings(parse.GetValue(rpm), parse.GetValue(tpm), parse.GetValue(parallel), parse.GetValue(budget), budgetPeriod),
                    ExpiresAt = parse.GetValue(expires)?.ToUniversalTime(),
                }, RecordSource.Cli, cancellationToken: cancel);
                Console.WriteLine($"id:  {created.Key.Id}");
                Console.WriteLine($"key: {created.Secret}");
                Console.Error.WriteLine("Store the key now: it is not shown again (only its hash is kept).");
                if (config.IsOpenMode)
                {
                    // Open mode is the config's choice alone (CONTRACT §6): a stored key does not lock the gateway.
                    Console.Error.WriteLine("Note: the config has no keys: and no master_key, so the gateway stays in open mode and still accepts "
                        + "any bearer; this key identifies its holder (its limits apply). Add master_key: to the config to require keys.");
                }
            }
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The key's id (see keys list)" };
        var revoke = new Command("revoke", "Revoke a key: refused from the next request on, on every gateway") { configOption, id };
        revoke.SetAction(async (parse, cancel) =>
        {
            if (await StorageCli.OpenAsync(parse.GetValue(configOption), cancel) is not var (_, db)) return 1;
            await using (db)
            {
                if (!await new KeyRepository(db, TimeProvider.System).RevokeAsync(parse.GetValue(id)!, cancel))
                {
                    Console.Error.WriteLine($"no key with id '{parse.GetValue(id)}'");
                    return 1;
                }
                Console.WriteLine($"revoked {parse.GetValue(id)}");
            }
            return 0;
        });

        return new Command("keys", "Manage virtual keys in the configured database") { list, create, revoke };
    }
}
