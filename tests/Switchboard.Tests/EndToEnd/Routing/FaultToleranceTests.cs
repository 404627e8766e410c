using Xunit.Abstractions;
using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>
/// The yardstick: under injected faults on one of two deployments, clients see no failure that a healthy
/// deployment could have answered, and every failure that reaches them is explicit.
/// </summary>
public sealed class FaultToleranceTests(MockUpstreamFixture mock, ITestOutputHelper output) : IClassFixture<MockUpstreamFixture>
{
    private const int RequestsPerFault = 40; // half streaming, half not
    private const int Parallel = 4;

    /// <summary>Faults a healthy deployment can always make up for: every request must succeed.</summary>
    public static TheoryData<string, string, string> FaultsBeforeTheFirstByte => new()
    {
        { "status=500", "", "" },
        { "status=503", "", "" },
        { "status=502", "", "" },
        { "status=429;retry_after=1", "", "" },
        { "status=429;retry_after=60", "", "" },
        { "status=401", "", "" },                                      // the provider refuses the gateway's key
        { "", "unreachable", "" },                                     // connection refused
        { "latency_ms=3000", "", "timeouts: { first_byte: 250ms }" }, // slow headers
        { "truncate_after=0", "", "" },                                // stream ends before any event
        { "reset_after=0", "", "" },                                   // connection reset before any event
        { "garbage_after=0", "", "" },                                 // broken JSON as the first event
    };

    [Theory]
    [MemberData(nameof(FaultsBeforeTheFirstByte))]
    public async Task Under_injected_faults_on_one_of_two_deployments_clients_see_no_failure_a_healthy_deployment_could_have_answered(
        string knobs, string special, string providerExtra)
    {
        var faulty = special == "unreachable"
            ? "faulty: { type: openai, base_url: \"http://127.0.0.1:9/v1\", api_key: x }"
            : Provider("faulty", mock.BaseUrl, knobs, providerExtra);
        var counts = await RunAsync(faulty);
        output.WriteLine($"fault [{knobs}{special}]: {counts}");
        Assert.Equal(RequestsPerFault, counts.Ok);
        Assert.Equal(0, counts.Explicit);
        Assert.Equal(0, counts.Silent);
    }

    /// <summary>Faults after the first byte reached the client cannot be hidden: they may fail, but only explicitly.</summary>
    [Theory]
    [InlineData("truncate_after=2", "")]
    [InlineData("reset_after=2", "")]
    [InlineData("garbage_after=2", "")]
    [InlineData("chunk_delay_ms=1500", "timeouts: { idle: 250ms }")]
    public async Task Faults_after_the_first_byte_reach_the_client_only_as_explicit_errors(string knobs, string providerExtra)
    {
        var counts = await RunAsync(Provider("faulty", mock.BaseUrl, knobs + ";words=40", providerExtra));
        output.WriteLine($"mid-stream fault [{knobs}]: {counts}");
        Assert.Equal(0, counts.Silent);
        Assert.Equal(RequestsPerFault, counts.Ok + counts.Explicit);
        Assert.True(counts.Ok >= RequestsPerFault / 2, "non-streaming requests and streams routed to the healthy deployment succeed");
    }

    private async Task<Counts> RunAsync(string faultyProvider)
    {
        var yaml = GatewayYaml(
            faultyProvider + "\n" + Provider("healthy", mock.BaseUrl),
            """
            m:
              - { provider: faulty, model: gpt-4o-mini }
              - { provider: healthy, model: gpt-4o-mini }
            """,
            "routing: { backoff: 5ms, max_backoff: 20ms }");
        await using var gateway = await GatewayInstance.StartAsync(yaml);
        using var http = gateway.Client(TestConfigs.MasterKey);
        var counts = new Counts();
        var attempts = 0;
        for (var batch = 0; batch < RequestsPerFault / Parallel; batch++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async i =>
            {
                var stream = i % 2 == 0;
                var answer = await SendAsync(http, "m", stream, text: "a few words to say back");
                return (answer, stream);
            }));
            foreach (var (answer, stream) in answers)
            {
                counts.Add(Verdict(answer, stream));
                attempts += int.TryParse(answer.Header("x-switchboard-attempts"), out var n) ? n : 0;
            }
        }
        counts.Attempts = attempts;
        return counts;
    }

    private sealed class Counts
    {
        public int Ok { get; private set; }
        public int Explicit { get; private set; }
        public int Silent { get; private set; }
        public int Attempts { get; set; }

        public void Add(string verdict)
        {
            if (verdict == "ok") Ok++;
            else if (verdict == "explicit") Explicit++;
            else Silent++;
        }

        public override string ToString() => $"{Ok} ok, {Explicit} explicit failures, {Silent} silent failures, {Attempts} upstream attempts";
    }
}
