namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>Configs and request helpers for the routing and resilience tests (one gateway per test, one mock per class).</summary>
internal static class RoutingTestSupport
{
    public const string Key = MockUpstreamFixture.ProviderKey;

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
    }

    public static async Task<Answer> SendAsync(HttpClient http, string model, bool stream, string path = "/v1/chat/completions", string text = "hello there")
    {
        var watch = Stopwatch.StartNew();
        var response = await http.PostAsync(path, Chat(model, stream, text));
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, body, response, watch.Elapsed);
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
