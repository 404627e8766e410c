using Switchboard.Config;

namespace Switchboard.Config.Tests;

/// <summary>The top-level <c>responses:</c> section (stored Responses API answers).</summary>
public sealed class ResponsesSectionTests
{
    [Fact]
    public void Responses_are_stored_for_30_days_unless_configured()
    {
        var config = TestConfig.LoadOk("master_key: m\n");

        Assert.True(config.Responses.Store);
        Assert.Equal(TimeSpan.FromDays(30), config.Responses.Retention);
    }

    [Theory]
    [InlineData("7d", 7 * 24 * 3600)]
    [InlineData("1.5d", 36 * 3600)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("90m", 90 * 60)]
    [InlineData("45", 45)]
    [InlineData("3650d", 3650L * 24 * 3600)]
    public void Retention_takes_days_and_the_usual_durations(string text, long seconds)
    {
        var config = TestConfig.LoadOk($"responses: {{ store: false, retention: {text} }}\n");

        Assert.False(config.Responses.Store);
        Assert.Equal(TimeSpan.FromSeconds(seconds), config.Responses.Retention);
    }

    [Theory]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("3651d")]
    [InlineData("forever")]
    [InlineData("30 days")]
    public void A_bad_retention_is_an_error_naming_the_forms_it_takes(string text)
    {
        var error = TestConfig.SingleError($"responses:\n  retention: \"{text}\"\n");

        TestConfig.AssertError(error, 2, "responses.retention",
            $"expected a retention period such as 30d, 12h or 90m (more than 0, at most 3650d), got '{text}'");
    }

    [Fact]
    public void Store_must_be_a_boolean_and_unknown_keys_are_refused()
    {
        var store = TestConfig.SingleError("responses:\n  store: maybe\n");
        Assert.Equal(2, store.Line);
        Assert.Equal("responses.store", store.KeyPath);

        var unknown = TestConfig.SingleError("responses:\n  keep: 30d\n");
        Assert.Equal(2, unknown.Line);
        Assert.Contains("keep", unknown.ToString(), StringComparison.Ordinal);
    }
}
