using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>Maps the <c>limits:</c> section: how admission estimates a request against tpm and budgets.</summary>
internal static class LimitPolicyMapper
{
    private static readonly string[] LimitKeys = ["budget_mode", "expected_output_tokens"];

    public static LimitPolicy Read(YamlNode? node, YamlNodeReader reader)
    {
        var defaults = new LimitPolicy();
        if (node is null || reader.Fields(node, "limits", LimitKeys) is not { } fields)
        {
            return defaults;
        }

        var mode = reader.OneOf(fields.Get("budget_mode"), fields.PathOf("budget_mode"), ["expected", "strict"], "budget mode");
        return new LimitPolicy
        {
            BudgetMode = mode switch { "strict" => BudgetMode.Strict, "expected" => BudgetMode.Expected, _ => defaults.BudgetMode },
            ExpectedOutputTokens = reader.Int(fields.Get("expected_output_tokens"), fields.PathOf("expected_output_tokens")) ?? defaults.ExpectedOutputTokens,
        };
    }
}
