using Switchboard.Config;
using Switchboard.Limits;

namespace Switchboard.Config.Tests;

public sealed class TeamSectionTests
{
    // Preamble is lines 1-4, "teams:" is line 5 and the first team starts on line 6.
    private static ConfigLoadResult LoadTeams(string teams) => TestConfig.Load($"{TestConfig.Preamble}\nteams:\n{teams}");

    [Fact]
    public void Teams_are_read_with_their_limits_in_file_order()
    {
        var config = TestConfig.LoadOk($"{TestConfig.Preamble}\nteams:\n  ops: {{ rpm: 10, tpm: 2000, max_parallel: 3, budget_usd: 12.5, budget_period: monthly }}\n  research: {{}}\n");

        Assert.Equal(["ops", "research"], config.Teams.Select(t => t.Name));
        Assert.Equal(new TeamConfig { Name = "ops", Limits = new LimitSettings(Rpm: 10, Tpm: 2000, MaxParallel: 3, BudgetUsd: 12.5m, BudgetPeriod: BudgetPeriod.Monthly) }, config.Teams[0]);
        Assert.Equal(new TeamConfig { Name = "research" }, config.Teams[1]);
    }

    [Theory]
    [InlineData("  ops: { rmp: 5 }\n", "teams.ops.rmp", "unknown key 'rmp' (allowed: rpm, tpm, max_parallel, budget_usd, budget_period)")]
    [InlineData("  ops: { budget_period: weekly }\n", "teams.ops.budget_period", "unknown budget period 'weekly' (allowed: daily, monthly)")]
    [InlineData("  ops: [1, 2]\n", "teams.ops", "expected a mapping, got a list")]
    public void Bad_team_fields_are_errors_with_line_numbers(string teams, string path, string message)
    {
        var result = LoadTeams(teams);
        var error = Assert.Single(result.Errors);
        TestConfig.AssertError(error, 6, path, message);
    }
}
