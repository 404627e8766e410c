namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>serve --log-format json</c> as a log shipper reads it: the real gateway process, whose every output line is one
/// JSON object with a UTC timestamp, level, category, message and the entry's fields, and never a secret.
/// </summary>
public sealed class LogFormatCliTests(UnshapedKeyMockFixture mock) : IClassFixture<UnshapedKeyMockFixture>, IDisposable
{
    private const string ProviderKey = UnshapedKeyMockFixture.Key;
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-logformat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Yaml => $"""
        master_key: {TestConfigs.MasterKey}
        keys:
          - {"{"} key: {TestConfigs.AliceKey}, name: alice {"}"}
        providers:
          up: {"{"} type: openai, base_url: "{mock.BaseUrl}/v1", api_key: "{ProviderKey}" {"}"}
          down: {"{"} type: anthropic, base_url: "{mock.BaseUrl}/_knobs/status=529;echo_key=1", api_key: "{ProviderKey}" {"}"}
        models:
          m: [{"{"} provider: up, model: gpt-4o-mini {"}"}]
          broken: [{"{"} provider: down, model: claude-sonnet-4-6 {"}"}]
        routing: {"{"} max_attempts: 1 {"}"}
        telemetry: {"{"} access_log: true {"}"}
        """;

    private static StringContent Chat(string model) =>
        new($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task Json_every_line_is_an_object_with_its_fields_and_no_secret()
    {
        string output;
        string okId, failedId;
        await using (var gateway = await GatewayProcess.StartAsync(Yaml, null, "--log-format", "json"))
        {
            using var http = gateway.Client(TestConfigs.AliceKey);
            using var ok = await http.PostAsync("/v1/chat/completions", Chat("m"));
            using var failed = await http.PostAsync("/v1/chat/completions", Chat("broken"));
            Assert.Equal((HttpStatusCode.OK, (HttpStatusCode)529), (ok.StatusCode, failed.StatusCode));
            (okId, failedId) = (ok.Headers.GetValues("x-request-id").Single(), failed.Headers.GetValues("x-request-id").Single());
            await gateway.StopGracefullyAsync();
            output = gateway.Output;
        }

        foreach (var secret in new[] { ProviderKey, TestConfigs.MasterKey, TestConfigs.AliceKey })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = lines.Select(line =>
        {
            var entry = JsonNode.Parse(line) as JsonObject;
            Assert.True(entry is not null, $"not a JSON object: {line}");
            var timestamp = entry["Timestamp"]!.GetValue<string>();
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", timestamp);
            Assert.False(string.IsNullOrEmpty(entry["LogLevel"]?.GetValue<string>()), line);
            Assert.False(string.IsNullOrEmpty(entry["Category"]?.GetValue<string>()), line);
            Assert.False(string.IsNullOrEmpty(entry["Message"]?.GetValue<string>()), line);
            return entry;
        }).ToList();

        // The banner is a log entry, not free text.
        var banner = Assert.Single(entries, e => e["Category"]!.GetValue<string>() == "Switchboard" && e["State"]?["Url"] is not null);
        Assert.Equal(2, banner["State"]!["Models"]!.GetValue<int>());
        // Each request's access line carries its facts as fields.
        var access = entries.Where(e => e["Category"]!.GetValue<string>() == "Switchboard.Access").ToList();
        var okLine = Assert.Single(access, e => e["State"]!["RequestId"]!.GetValue<string>() == okId)["State"]!;
        Assert.Equal(("alice", "m", "up", 200), (okLine["Key"]!.GetValue<string>(), okLine["Model"]!.GetValue<string>(),
            okLine["Provider"]!.GetValue<string>(), okLine["Status"]!.GetValue<int>()));
        Assert.True(okLine["OutputTokens"]!.GetValue<long>() > 0);
        Assert.True(okLine["LatencyMs"]!.GetValue<double>() > 0);
        var failedLine = Assert.Single(access, e => e["State"]!["RequestId"]!.GetValue<string>() == failedId)["State"]!;
        Assert.Equal((529, "overloaded_error"), (failedLine["Status"]!.GetValue<int>(), failedLine["ErrorCode"]!.GetValue<string>()));
        // The upstream failure: a Warning with status, code, message and what the upstream answered.
        var warning = Assert.Single(entries, e => e["LogLevel"]!.GetValue<string>() == "Warning" && e["State"]?["RequestId"]?.GetValue<string>() == failedId);
        var state = warning["State"]!;
        Assert.Equal(("down", "claude-sonnet-4-6", 529, "overloaded_error", "HTTP 529 overloaded_error"), (state["Provider"]!.GetValue<string>(),
            state["UpstreamModel"]!.GetValue<string>(), state["Status"]!.GetValue<int>(), state["Code"]!.GetValue<string>(), state["Upstream"]!.GetValue<string>()));
        Assert.Contains("Overloaded (request made with key [redacted])", state["Message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yaml")]
    [InlineData("jsonl")]
    public async Task An_unknown_log_format_is_a_clear_error_naming_the_allowed_values(string value)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(_dir, "serve", "--port", "0", "--log-format", value);

        Assert.NotEqual(0, code);
        Assert.Contains($"--log-format '{value}': must be one of text, json", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }
}
