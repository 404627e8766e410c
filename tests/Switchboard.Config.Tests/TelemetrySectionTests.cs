namespace Switchboard.Config.Tests;

/// <summary>The <c>telemetry:</c> keys of <c>GET /metrics</c>: metrics, metrics_token, metrics_key_labels.</summary>
public sealed class TelemetrySectionTests
{
    [Fact]
    public void Without_a_telemetry_section_metrics_are_served_without_a_token_or_key_labels()
    {
        var telemetry = TestConfig.LoadOk(TestConfig.Preamble).Telemetry;

        Assert.True(telemetry.Metrics);
        Assert.Null(telemetry.MetricsToken);
        Assert.False(telemetry.MetricsKeyLabels);
    }

    [Fact]
    public void The_metrics_keys_read_as_written_and_the_token_from_the_environment()
    {
        var telemetry = TestConfig.LoadOk(TestConfig.Preamble + """

            telemetry:
              metrics: false
              metrics_token: ${METRICS_TOKEN}
              metrics_key_labels: true
            """, new Dictionary<string, string> { ["METRICS_TOKEN"] = "scrape-secret-42" }).Telemetry;

        Assert.False(telemetry.Metrics);
        Assert.Equal("scrape-secret-42", telemetry.MetricsToken);
        Assert.True(telemetry.MetricsKeyLabels);
    }

    [Fact]
    public void An_empty_token_means_no_token()
    {
        var telemetry = TestConfig.LoadOk(TestConfig.Preamble + "\ntelemetry: { metrics_token: \"\" }").Telemetry;

        Assert.Null(telemetry.MetricsToken);
    }

    [Fact]
    public void A_boolean_key_refuses_anything_but_true_or_false_with_its_line()
    {
        var error = TestConfig.SingleError(TestConfig.Preamble + """

            telemetry:
              metrics: yes please
            """);

        Assert.Equal(6, error.Line);
        Assert.Equal("telemetry.metrics", error.KeyPath);
    }

    [Fact]
    public void An_unknown_telemetry_key_is_an_error_with_its_line_and_the_allowed_keys()
    {
        var error = TestConfig.SingleError(TestConfig.Preamble + """

            telemetry:
              metrics: true
              metric_token: abc
            """);

        TestConfig.AssertError(error, 7, "telemetry.metric_token",
            "unknown key 'metric_token' (allowed: metrics, metrics_token, metrics_key_labels, trace_content, access_log)");
    }
}
