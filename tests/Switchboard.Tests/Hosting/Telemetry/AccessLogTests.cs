using System.Globalization;
using Switchboard.Hosting.Telemetry;
using Switchboard.Usage;
using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.Hosting.Telemetry;

/// <summary>
/// <c>telemetry.access_log</c>: one Information line per finished request under <c>Switchboard.Access</c>, its facts
/// as structured fields equal to the request's ledger record, never a key's secret; nothing at all when off.
/// </summary>
public sealed class AccessLogTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private string Yaml(bool accessLog) => GatewayYaml(
        Provider("up", mock.BaseUrl, "") + "\n" + Provider("down", mock.BaseUrl, "status=503"),
        "m: [{ provider: up, model: gpt-4o-mini }]\nbroken: [{ provider: down, model: gpt-4o }]",
        $"keys:\n  - {{ key: {TestConfigs.AliceKey}, name: alice }}\n{OneAttempt}\ntelemetry: {{ access_log: {(accessLog ? "true" : "false")} }}");

    /// <summary>The access line of a recorded request (written by the usage observers right after the record: polled).</summary>
    private static async Task<LogEntry> AccessEntryAsync(GatewayInstance gateway, string requestId)
    {
        for (var attempt = 0; attempt < 100 && !gateway.Logs.Entries.Any(IsAccessLineOf); attempt++) await Task.Delay(20);
        return Assert.Single(gateway.Logs.Entries, IsAccessLineOf);

        bool IsAccessLineOf(LogEntry e) => e.Category == AccessLog.Category && Equals(e.Fields["RequestId"], requestId);
    }

    [Fact]
    public async Task Every_finished_request_writes_one_line_whose_fields_are_its_ledger_record()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yaml(accessLog: true));
        using var http = gateway.Client(TestConfigs.AliceKey);

        var ok = await SendAsync(http, "m", stream: true);
        var failed = await SendAsync(http, "broken", stream: false);
        var unknown = await SendAsync(http, "no-such-model", stream: false);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.NotFound), (ok.Status, failed.Status, unknown.Status));
        foreach (var answer in new[] { ok, failed, unknown })
        {
            var id = answer.Header("x-request-id");
            var record = await gateway.RecordOfAsync(id);
            var entry = await AccessEntryAsync(gateway, id);
            Assert.Equal(LogLevel.Information, entry.Level);
            AssertFieldsAre(record, entry);
            Assert.DoesNotContain(TestConfigs.AliceKey, entry.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("(null)", entry.Message, StringComparison.Ordinal);
        }
        var okLine = (await AccessEntryAsync(gateway, ok.Header("x-request-id"))).Message;
        Assert.StartsWith($"{ok.Header("x-request-id")} chat.completions key=alice model=m provider=up upstream_model=gpt-4o-mini status=200 error=- tokens_in=", okLine, StringComparison.Ordinal);
        Assert.Contains("attempts=1 stream=True", okLine, StringComparison.Ordinal);
        var unknownLine = (await AccessEntryAsync(gateway, unknown.Header("x-request-id"))).Message;
        Assert.Contains("model=no-such-model provider=- upstream_model=- status=404 error=model_not_found tokens_in=0 tokens_out=0", unknownLine, StringComparison.Ordinal);
        Assert.Contains("ttft_ms=- attempts=0", unknownLine, StringComparison.Ordinal);
    }

    private static void AssertFieldsAre(UsageRecord record, LogEntry entry)
    {
        var f = entry.Fields;
        Assert.Equal(record.Endpoint, f["Endpoint"]);
        Assert.Equal(record.KeyName, f["Key"]);
        Assert.Equal(record.Model, f["Model"]);
        Assert.Equal(record.Provider ?? "-", f["Provider"]);
        Assert.Equal(record.UpstreamModel ?? "-", f["UpstreamModel"]);
        Assert.Equal(record.Status, f["Status"]);
        Assert.Equal(record.ErrorCode ?? "-", f["ErrorCode"]);
        Assert.Equal(record.Usage.PromptTokens, f["InputTokens"]);
        Assert.Equal(record.Usage.CompletionTokens, f["OutputTokens"]);
        Assert.Equal(record.CostUsd is { } cost ? cost : "-", f["CostUsd"]);
        Assert.Equal(Math.Round(record.LatencyMs, 1), f["LatencyMs"]);
        Assert.Equal(record.TimeToFirstTokenMs is { } ttft ? Math.Round(ttft, 1) : "-", f["TtftMs"]);
        Assert.Equal(record.Attempts, f["Attempts"]);
        Assert.Equal(record.Stream, f["Stream"]);
        if (record.Status == 200)
        {
            Assert.True(record.Usage.PromptTokens > 0 && record.Usage.CompletionTokens > 0, "the mock reports usage");
            Assert.IsType<double>(f["TtftMs"]);
            Assert.IsType<decimal>(f["CostUsd"]);
            Assert.Contains(((decimal)f["CostUsd"]!).ToString(CultureInfo.InvariantCulture), entry.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Off_no_access_line_is_written_and_no_sink_is_registered()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yaml(accessLog: false));
        using var http = gateway.Client(TestConfigs.AliceKey);

        var ok = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        await gateway.RecordOfAsync(ok.Header("x-request-id"));
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Category == AccessLog.Category);
        Assert.Null(gateway.Services.GetService(typeof(AccessLog)));
    }
}
