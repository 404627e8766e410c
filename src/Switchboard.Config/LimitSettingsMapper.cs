using Switchboard.Limits;

namespace Switchboard.Config;

/// <summary>Reads the limit fields a key or a team mapping shares (<c>rpm</c>, <c>tpm</c>, <c>max_parallel</c>, <c>budget_usd</c>, <c>budget_period</c>).</summary>
internal static class LimitSettingsMapper
{
    public static LimitSettings Read(MappingFields fields, YamlNodeReader reader) => new(
        Rpm: reader.Int(fields.Get("rpm"), fields.PathOf("rpm")),
        Tpm: reader.Int(fields.Get("tpm"), fields.PathOf("tpm")),
        MaxParallel: reader.Int(fields.Get("max_parallel"), fields.PathOf("max_parallel")),
        BudgetUsd: reader.NonNegativeDecimal(fields.Get("budget_usd"), fields.PathOf("budget_usd")),
        BudgetPeriod: BudgetPeriods.ParseStored(reader.OneOf(fields.Get("budget_period"), fields.PathOf("budget_period"), BudgetPeriods.Names, "budget period")));
}
