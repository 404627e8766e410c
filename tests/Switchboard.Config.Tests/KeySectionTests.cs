using Switchboard.Config;
using Switchboard.Limits;

namespace Switchboard.Config.Tests;

public sealed class KeySectionTests
{
    // Preamble is lines 1-4, "keys:" is line 5 and the first key starts on line 6.
    private static ConfigLoadResult LoadKeys(string keys) => TestConfig.Load($"{TestConfig.Preamble}\nkeys:\n{keys}");

    private static KeyConfig LoadKey(string fields) =>
        Assert.Single(TestConfig.LoadOk($"{TestConfig.Preamble}\nkeys:\n  - {{ key: k1, name: n1, {fields} }}\n").Keys);

    private static ConfigError KeyFieldError(string field)
    {
        var result = LoadKeys($"  - key: k1\n    name: n1\n    {field}\n");
        Assert.True(result.Errors.Length == 1, string.Join("\n", result.Errors));
        return result.Errors[0];
    }

    [Fact]
    public void Key_is_required()
    {
        var error = Assert.Single(LoadKeys("  - name: demo\n").Errors);

        TestConfig.AssertError(error, 6, "keys[0]", "missing required key 'key'");
    }

    [Theory]
    [InlineData("''")]
    [InlineData("\"${EMPTY_KEY:-}\"")]
    public void Key_must_not_be_empty(string value)
    {
        var error = Assert.Single(LoadKeys($"  - {{ key: {value}, name: demo }}\n").Errors);

        TestConfig.AssertError(error, 6, "keys[0].key", "must not be empty");
    }

    [Fact]
    public void Name_is_required()
    {
        var error = Assert.Single(LoadKeys("  - key: k1\n").Errors);

        TestConfig.AssertError(error, 6, "keys[0]", "missing required key 'name'");
    }

    [Fact]
    public void Names_are_unique()
    {
        var error = Assert.Single(LoadKeys("  - { key: k1, name: demo }\n  - { key: k2, name: other }\n  - { key: k3, name: demo }\n").Errors);

        TestConfig.AssertError(error, 8, "keys[2].name", "duplicate key name 'demo' (also used by keys[0])");
    }

    [Fact]
    public void Secrets_are_unique_and_not_printed()
    {
        var error = Assert.Single(LoadKeys("  - { key: sk-same-secret, name: a }\n  - { key: sk-same-secret, name: b }\n").Errors);

        TestConfig.AssertError(error, 7, "keys[1].key", "duplicate key secret (same as keys[0].key)");
        Assert.DoesNotContain("sk-same-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Models_must_be_defined()
    {
        var error = KeyFieldError("models: [gpt-4o, gpt-5]");

        TestConfig.AssertError(error, 8, "keys[0].models[1]", "model 'gpt-5' is not defined (defined: gpt-4o)");
    }

    [Fact]
    public void Models_omitted_means_all_and_a_single_name_is_a_list()
    {
        Assert.Null(LoadKey("rpm: 1").Models);
        Assert.Equal<string>(["gpt-4o"], LoadKey("models: gpt-4o").Models!.Value);
        Assert.Empty(LoadKey("models: []").Models!.Value);
    }

    [Theory]
    [InlineData("rpm: 0", "rpm", "must be a positive whole number, got '0'")]
    [InlineData("rpm: abc", "rpm", "expected a number, got 'abc'")]
    [InlineData("tpm: -100", "tpm", "must be a positive whole number, got '-100'")]
    [InlineData("tpm: 1e6", "tpm", "expected a whole number, got '1e6'")]
    [InlineData("max_parallel: 0", "max_parallel", "must be a positive whole number, got '0'")]
    [InlineData("max_parallel: {}", "max_parallel", "expected a number, got a mapping")]
    [InlineData("budget_usd: -1", "budget_usd", "must not be negative, got '-1'")]
    [InlineData("budget_usd: $5", "budget_usd", "expected a number, got '$5'")]
    [InlineData("budget_period: weekly", "budget_period", "unknown budget period 'weekly' (allowed: daily, monthly)")]
    [InlineData("expires_at: 31/12/2026", "expires_at",
        "expected an ISO-8601 date or time like 2026-12-31 or 2026-12-31T23:59:00Z, got '31/12/2026'")]
    [InlineData("expires_at: tomorrow", "expires_at",
        "expected an ISO-8601 date or time like 2026-12-31 or 2026-12-31T23:59:00Z, got 'tomorrow'")]
    [InlineData("team: [a, b]", "team", "expected a string, got a list")]
    public void Bad_key_values(string field, string key, string message) =>
        TestConfig.AssertError(KeyFieldError(field), 8, $"keys[0].{key}", message);

    [Fact]
    public void Limits_and_budget_are_read()
    {
        var key = LoadKey("rpm: 10, tpm: 2000, max_parallel: 3, budget_usd: 0, budget_period: daily, team: ops");

        Assert.Equal((10, 2000, 3, 0m, BudgetPeriod.Daily, "ops"), (key.Limits.Rpm, key.Limits.Tpm, key.Limits.MaxParallel, key.Limits.BudgetUsd, key.Limits.BudgetPeriod, key.Team));
    }

    [Theory]
    [InlineData("2026-12-31", "2026-12-31T00:00:00+00:00")]
    [InlineData("2026-12-31T23:59Z", "2026-12-31T23:59:00+00:00")]
    [InlineData("2026-12-31T23:59:30Z", "2026-12-31T23:59:30+00:00")]
    [InlineData("2026-12-31T23:59:30.5+02:00", "2026-12-31T21:59:30.5+00:00")]
    [InlineData("2026-12-31T23:59:30", "2026-12-31T23:59:30+00:00")]
    public void Expiry_accepts_iso_8601(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LoadKey($"expires_at: \"{text}\"").ExpiresAt);

    [Fact]
    public void Keys_must_be_a_list_of_mappings()
    {
        var notList = Assert.Single(TestConfig.Load("keys:\n  key: k1\n  name: n1\n").Errors);
        TestConfig.AssertError(notList, 2, "keys", "expected a list, got a mapping");

        var notMapping = Assert.Single(TestConfig.Load("keys:\n  - k1\n").Errors);
        TestConfig.AssertError(notMapping, 2, "keys[0]", "expected a mapping, got a string");
    }

    [Fact]
    public void Keys_make_the_config_leave_open_mode()
    {
        Assert.False(TestConfig.LoadOk($"{TestConfig.Preamble}\nkeys:\n  - {{ key: k1, name: n1 }}\n").IsOpenMode);
    }
}
