namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>Configs and request helpers for the routing and resilience tests (one gateway per test, one mock per class).</summary>
internal static class RoutingTestSupport
{
    public const string Key = MockUpstreamFixture.ProviderKey;

    /// <summary>Routing settings that allow no retry, so the first attempt's failure is what the client sees.</summary>
    public const string OneAttempt = "routing: { max_attempts: 1 }";

    /// <summary>A config with a master key, the given providers and models, quick backoff, and extra sections.</summary>
    public static string GatewayYaml(string providers, string models, string extra = "") => $"""
        master_key: {TestConfigs.MasterKey}
        providers:
        {Indent(providers)}
        models:
        {Indent(models)}
        {extra}
        """;

    /// <summary>An OpenAI-type provider on the mock with knobs in its base URL (empty = healthy).</summary>
    public static string Provider(string name, string mockUrl, string knobs = "", string extra = "") =>
        $"{name}: {{ type: openai, base_url: \"{mockUrl}{(knobs.Length > 0 ? "/_knobs/" + knobs : "")}/v1\", api_key: \"{Key}\"{(extra.Length > 0 ? ", " + extra : "")} }}";

    /// <summary>An Anthropic-type provider on the mock with knobs in its base URL (empty = healthy).</summary>
    public static string AnthropicProvider(string name, string mockUrl, string knobs = "") =>
        $"{name}: {{ type: anthropic, base_url: \"{mockUrl}{(knobs.Length > 0 ? "/_knobs/" + knobs : "")}\", api_key: \"{Key}\" }}";

    /// <summary>Model <c>m</c> with one deployment.</summary>
    public static string OneDeployment(string provider, string model = "gpt-4o-mini") => $"m: [{{ provider: {provider}, model: {model} }}]";

    /// <summary>Model <c>m</c> on the priority strategy: each provider (gpt-4o-mini) in the order given.</summary>
    public static string PriorityModel(params string[] providers) =>
        "m:\n  strategy: priority\n  deployments:\n"
        + string.Join("\n", providers.Select(p => $"    - {{ provider: {p}, model: gpt-4o-mini }}"));

    /// <summary>A gateway on <see cref="GatewayYaml"/>.</summary>
    public static Task<GatewayInstance> StartAsync(string providers, string models, string extra = "") =>
        GatewayInstance.StartAsync(GatewayYaml(providers, models, extra));

    private static string Indent(string lines) =>
        string.Join("\n", lines.Split('\n').Select(l => "  " + l.TrimEnd()));

    public static StringContent Chat(string model, bool stream, string text = "hello there") =>
        new($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{text}}"}]}""",
            Encoding.UTF8, "application/json");

    /// <summary>One client request as the client saw it.</summary>
    public sealed record Answer(HttpStatusCode Status, string Body, HttpResponseMessage Response, TimeSpan Elapsed)
    {
        public string Header(string name) => Response.Headers.TryGetValues(name, out var v) ? v.Single() : "";
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
        public List<string> Events => Sse.DataEvents(Body);

        /// <summary>The <c>error.code</c> of an error body.</summary>
        public string? ErrorCode => Json.GetProperty("error").GetProperty("code").GetString();

        /// <summary>The <c>error.code</c> of the stream's last event.</summary>
        public string? LastEventErrorCode => JsonDocument.Parse(Events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString();

        /// <summary>This request's row in <c>/admin/logs</c>.</summary>
        public Task<JsonElement> RowAsync(GatewayInstance gateway) => AdminLog.RowAsync(gateway, Header("x-request-id"));

        /// <summary>The row's <c>attempt_log</c> (provider:status per attempt).</summary>
        public async Task<string?> AttemptLogAsync(GatewayInstance gateway) => (await RowAsync(gateway)).GetProperty("attempt_log").GetString();

        /// <summary>Asserts that the request's row records a failure with this status and error code.</summary>
        public async Task AssertRecordedFailureAsync(GatewayInstance gateway, int status, string errorCode)
        {
            var row = await RowAsync(gateway);
            Assert.Equal(status, row.GetProperty("status").GetInt32());
            Assert.Equal(errorCode, row.GetProperty("error_code").GetString());
        }
    }

    public static async Task<Answer> SendAsync(HttpClient http, string model, bool stream, string path = "/v1/chat/completions", string text = "hello there")
    {
        var watch = Stopwatch.StartNew();
        var response = await http.PostAsync(path, Chat(model, stream, text));
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, body, response, watch.Elapsed);
    }

    /// <summary>An Anthropic client's request to <c>/v1/messages</c> for model <c>m</c>, streamed or not.</summary>
    public static async Task<Answer> MessagesAsync(HttpClient http, bool stream)
    {
        var watch = Stopwatch.StartNew();
        var response = await http.PostAsync("/v1/messages", new StringContent(
            $$"""{"model":"m","max_tokens":200,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"say many words"}]}""",
            Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, body, response, watch.Elapsed);
    }

    /// <summary>An Anthropic stream that failed after it started: still a 200, never finished, ended by an error event.</summary>
    public static void AssertAnthropicStreamEndedWithAnError(Answer answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.DoesNotContain("message_stop", answer.Body, StringComparison.Ordinal);
        Assert.Contains("event: error", answer.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// What the client can tell about an answer: a complete success, an explicit failure (an error status with an
    /// error body, or a stream that ends with an error event and no [DONE]), or a silent failure (anything else).
    /// </summary>
    public static string Verdict(Answer answer, bool stream)
    {
        if (!stream)
        {
            if (answer.Status == HttpStatusCode.OK)
            {
                var content = answer.Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
                return string.IsNullOrEmpty(content) ? "silent" : "ok";
            }
            return answer.Json.TryGetProperty("error", out _) ? "explicit" : "silent";
        }
        if (answer.Status != HttpStatusCode.OK) return answer.Json.TryGetProperty("error", out _) ? "explicit" : "silent";
        var events = answer.Events;
        if (events.Count == 0) return "silent";
        var errorEvents = events.Count(e => e.StartsWith("{\"error\"", StringComparison.Ordinal));
        if (events[^1] == "[DONE]" && errorEvents == 0)
        {
            var chunks = Sse.JsonChunks(answer.Body);
            return chunks.Any(c => c.GetProperty("choices").GetArrayLength() > 0 && c.GetProperty("choices")[0].TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
                ? "ok" : "silent";
        }
        // Explicit: the last event is an error and nothing claims the stream finished.
        if (!events.Contains("[DONE]") && errorEvents == 1 && events[^1].StartsWith("{\"error\"", StringComparison.Ordinal)
            && events.All(e => e == "[DONE]" || IsJson(e))) return "explicit";
        return "silent";
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The deployment's row once <paramref name="until"/> holds (polled briefly: an attempt's result is reported just
    /// after the client got its last byte, as the ledger row is), or the last row seen.
    /// </summary>
    public static async Task<JsonElement> DeploymentAsync(GatewayInstance gateway, string model, string provider, Func<JsonElement, bool> until)
    {
        var row = await DeploymentAsync(gateway, model, provider);
        for (var i = 0; i < 50 && !until(row); i++)
        {
            await Task.Delay(20);
            row = await DeploymentAsync(gateway, model, provider);
        }
        return row;
    }

    public static async Task<JsonElement> DeploymentAsync(GatewayInstance gateway, string model, string provider)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var page = JsonDocument.Parse(await admin.GetStringAsync("/admin/deployments")).RootElement;
        return page.GetProperty("data").EnumerateArray()
            .Single(r => r.GetProperty("model").GetString() == model && r.GetProperty("provider").GetString() == provider).Clone();
    }
}
