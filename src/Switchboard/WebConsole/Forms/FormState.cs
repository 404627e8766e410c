using System.Collections.Immutable;
using System.Globalization;
using Switchboard.Admin;
using Switchboard.Limits;
using Switchboard.Storage.Keys;

namespace Switchboard.WebConsole.Forms;

/// <summary>
/// The values of a console form (as posted, or filled in from a stored key or team) and its errors by field name.
/// Posted values are read with the admin API's rules (<see cref="AdminFieldRules"/>): an empty number field means "no
/// limit", an empty expiry "never". A failed POST renders the form again with what was typed and each error beside its field.
/// </summary>
public sealed class FormState
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The models ticked (an empty set = every model).</summary>
    public HashSet<string> Models { get; } = new(StringComparer.Ordinal);

    public bool IsValid => Errors.Count == 0;

    public string this[string name]
    {
        get => _values.GetValueOrDefault(name, "");
        set => _values[name] = value;
    }

    public string? ErrorFor(string name) => Errors.GetValueOrDefault(name);

    public static FormState FromPost(IFormCollection form)
    {
        var state = new FormState();
        foreach (var (name, value) in form)
        {
            if (name == "models") state.Models.UnionWith(value.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!));
            else state[name] = value.ToString().Trim();
        }
        return state;
    }

    public static FormState From(LimitSettings limits)
    {
        var state = new FormState();
        state.Fill(limits);
        return state;
    }

    public static FormState From(KeyRecord key)
    {
        var state = From(key.Limits);
        state["name"] = key.Name;
        state["team"] = key.Team ?? "";
        state["expires_at"] = key.ExpiresAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : "";
        if (key.Models is { } models) state.Models.UnionWith(models);
        return state;
    }

    private void Fill(LimitSettings limits)
    {
        this["rpm"] = Text(limits.Rpm);
        this["tpm"] = Text(limits.Tpm);
        this["max_parallel"] = Text(limits.MaxParallel);
        this["budget_usd"] = limits.BudgetUsd?.ToString(CultureInfo.InvariantCulture) ?? "";
        this["budget_period"] = limits.BudgetPeriod.Name() ?? "";
    }

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    // ---- reading posted values ---------------------------------------------------------------------------------

    /// <summary>A name or team; empty is null unless <paramref name="required"/>.</summary>
    public string? Name(string field, bool required)
    {
        var text = this[field];
        if (text.Length == 0 && !required) return null;
        if (AdminFieldRules.TextProblem(text) is { } problem) Errors[field] = text.Length == 0 ? "Required." : $"This {problem}.";
        return text;
    }

    /// <summary>rpm, tpm, max_parallel and the budget with its period.</summary>
    public LimitSettings Limits() => new(Limit("rpm"), Limit("tpm"), Limit("max_parallel"), Budget("budget_usd"), Period("budget_period"));

    private int? Limit(string field)
    {
        var text = this[field];
        if (text.Length == 0) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && AdminFieldRules.IsValidLimit(n)) return n;
        Errors[field] = "Enter a whole number of 1 or more, or leave it empty for no limit.";
        return null;
    }

    private decimal? Budget(string field)
    {
        var text = this[field].TrimStart('$');
        if (text.Length == 0) return null;
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var usd) && AdminFieldRules.IsValidBudget(usd)) return usd;
        Errors[field] = $"Enter an amount in USD from 0 to {AdminFieldRules.MaxBudgetUsd:#,0}, or leave it empty for no budget.";
        return null;
    }

    private BudgetPeriod Period(string field)
    {
        var text = this[field];
        if (BudgetPeriods.TryParse(text.Length == 0 ? null : text, out var period)) return period;
        Errors[field] = "Choose lifetime, daily or monthly.";
        return BudgetPeriod.Lifetime;
    }

    /// <summary>A patch that sets every limit field to <paramref name="limits"/> (a form posts them all).</summary>
    public static LimitPatch Replacing(LimitSettings limits) => new(Optional.Of(limits.Rpm), Optional.Of(limits.Tpm), Optional.Of(limits.MaxParallel),
        Optional.Of(limits.BudgetUsd), Optional.Of(limits.BudgetPeriod));

    /// <summary>An expiry in UTC (a date, or a date and time); empty = never.</summary>
    public DateTimeOffset? Expiry(string field)
    {
        var text = this[field];
        if (text.Length == 0) return null;
        if (AdminFieldRules.TryParseTime(text, out var at)) return at;
        Errors[field] = "Enter a date and time such as 2026-12-31T23:59 (UTC), or leave it empty for no expiry.";
        return null;
    }

    /// <summary>The ticked models (null = every model); an unknown one is an error.</summary>
    public ImmutableArray<string>? AllowedModels(Func<string, bool> exists)
    {
        if (Models.Count == 0) return null;
        var models = AdminFieldRules.DistinctModels(Models.Order(StringComparer.Ordinal), exists, out var unknown);
        if (unknown is not null) Errors["models"] = $"There is no model named '{unknown}'.";
        return models;
    }
}
