using Switchboard.Tests.EndToEnd;
using static Switchboard.Tests.Responses.ResponsesClient;

namespace Switchboard.Tests.Responses;

/// <summary>
/// A translated Responses stream that breaks after it started (connection reset, an error event, a stream cut short)
/// ends with <c>error</c> and <c>response.failed</c> numbered after the events already sent, never with
/// <c>response.completed</c>; one that breaks before its first event falls over or fails as a plain JSON error.
/// </summary>
public sealed class ResponsesStreamFailureTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    private static readonly string[] Faults = ["reset_after=4", "error_after=4", "truncate_after=4"];

    public static TheoryData<string, string> UpstreamsAndFaults
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var upstream in new[] { "gpt", "claude", "gemini" })
            {
                foreach (var fault in Faults) data.Add(upstream, fault);
            }
            return data;
        }
    }

    private static string Name(string upstream, string fault) => $"{upstream}-{fault.Split('_')[0]}";

    protected override string ExtraProviders => string.Join("\n", Faults.SelectMany(fault => new[]
    {
        $$"""  {{Name("gpt", fault)}}: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/{{fault}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }""",
        $$"""  {{Name("claude", fault)}}: { type: anthropic, base_url: "{{Mock.BaseUrl}}/_knobs/{{fault}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }""",
        $$"""  {{Name("gemini", fault)}}: { type: gemini, base_url: "{{Mock.BaseUrl}}/_knobs/{{fault}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }""",
    }));

    protected override string ExtraModels => string.Join("\n", Faults.SelectMany(fault => new[]
    {
        $"  {Name("gpt", fault)}: [{{ provider: {Name("gpt", fault)}, model: gpt-4o-mini }}]",
        $"  {Name("claude", fault)}: [{{ provider: {Name("claude", fault)}, model: claude-sonnet-4-5 }}]",
        $"  {Name("gemini", fault)}: [{{ provider: {Name("gemini", fault)}, model: gemini-2.5-flash-lite }}]",
    }));

    private const string LongInput = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen";

    [Theory, MemberData(nameof(UpstreamsAndFaults))]
    public async Task A_stream_that_breaks_after_it_started_ends_with_response_failed_in_sequence(string upstream, string fault)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var answer = await PostAsync(http, $$"""{"model":"{{Name(upstream, fault)}}","input":"{{LongInput}}","stream":true}""");

        Assert.Equal(200, answer.Status);
        // Events() has already checked that every event's name is its type and the sequence numbers have no gap.
        AssertLifecycle(answer, "response.failed");
        Assert.DoesNotContain("response.completed", answer.Types);
        Assert.DoesNotContain("response.incomplete", answer.Types);
        Assert.Contains("response.output_text.delta", answer.Types);
        var error = answer.Events[^2];
        Assert.Equal("error", error.Type);
        Assert.False(string.IsNullOrEmpty(error.Data.GetProperty("message").GetString()));
        Assert.DoesNotContain(MockUpstreamFixture.ProviderKey, answer.Body, StringComparison.Ordinal);

        var response = answer.Response;
        Assert.Equal("failed", response.GetProperty("status").GetString());
        Assert.Equal(error.Data.GetProperty("code").GetString(), response.GetProperty("error").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(response.GetProperty("error").GetProperty("message").GetString()));
        // What was said before the break is in the failed response.
        Assert.StartsWith("Echo:", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("eighteen", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_stream_is_recorded_as_failed()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var answer = await PostAsync(http, $$"""{"model":"gpt-reset","input":"{{LongInput}}","stream":true}""");
        var requestId = answer.Header("x-request-id");

        Assert.Equal("response.failed", answer.Events[^1].Type);
        UsageRecordOf(requestId, out var row);
        Assert.Equal("responses", row.Endpoint);
        Assert.NotEqual(200, row.Status);
        Assert.Equal("upstream_stream_broken", row.ErrorCode);
    }

    private void UsageRecordOf(string? requestId, out Switchboard.Usage.UsageRecord row)
    {
        Switchboard.Usage.UsageRecord? found = null;
        for (var i = 0; i < 100 && found is null; i++)
        {
            found = Gateway.Recorded().FirstOrDefault(r => r.RequestId == requestId);
            if (found is null) Thread.Sleep(20);
        }
        row = found ?? throw new Xunit.Sdk.XunitException($"no usage row for {requestId}");
    }
}
