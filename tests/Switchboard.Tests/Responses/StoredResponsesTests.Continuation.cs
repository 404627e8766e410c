using Microsoft.Extensions.DependencyInjection;
using Switchboard.Storage;
using Switchboard.Storage.Responses;

namespace Switchboard.Tests.Responses;

/// <summary><c>previous_response_id</c> on a Chat Completions upstream, expiry, and a database that fails.</summary>
public sealed partial class StoredResponsesTests
{
    /// <summary>The chat messages the mock received last, as (role, text or tool calls) pairs.</summary>
    private async Task<List<JsonElement>> UpstreamMessagesAsync()
    {
        var request = await mock.LastRequestAsync();
        Assert.Equal("/v1/chat/completions", request.GetProperty("path").GetString());
        var body = JsonDocument.Parse(request.GetProperty("body").GetString()!).RootElement;
        return [.. body.GetProperty("messages").EnumerateArray().Select(m => m.Clone())];
    }

    [Fact]
    public async Task Previous_response_id_sends_a_chat_upstream_the_whole_conversation_tool_calls_included()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);

        // Turn 1: instructions and a question; the model calls the tool.
        var first = await CreateAsync(alice, $$"""{"model":"chat","instructions":"Be brief.","input":"Weather in Paris?","tools":[{{WeatherTool}}]}""");
        var call = first.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "function_call");
        var callId = call.GetProperty("call_id").GetString()!;
        // Turn 2: only the tool's output; the call it answers comes from the stored turn.
        var second = await CreateAsync(alice, $$"""
            {"model":"chat","previous_response_id":"{{first.GetProperty("id")}}","tools":[{{WeatherTool}}],
             "input":[{"type":"function_call_output","call_id":"{{callId}}","output":"sunny, 24C"}]}
            """);
        var turn2 = await UpstreamMessagesAsync();
        // Turn 3, streamed: a follow-up question continuing turn 2 (and through it turn 1).
        var third = await alice.PostAsync("/v1/responses", Json($$"""{"model":"chat","stream":true,"previous_response_id":"{{second.GetProperty("id")}}","input":"Thanks!"}"""));
        await third.Content.ReadAsStringAsync();
        var turn3 = await UpstreamMessagesAsync();

        Assert.Contains("sunny, 24C", second.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        // The answer says what it continues, as OpenAI's does; the chat upstream never sees the gateway's id.
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("previous_response_id").GetString());
        Assert.DoesNotContain("previous_response_id", (await mock.LastRequestAsync()).GetProperty("body").GetString()!, StringComparison.Ordinal);
        // Instructions belong to their own request: turn 2 sent none, so the upstream gets no system message.
        Assert.Equal(["user", "assistant", "tool"], turn2.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Weather in Paris?", ChatText(turn2[0]));
        var upstreamCall = Assert.Single(turn2[1].GetProperty("tool_calls").EnumerateArray());
        Assert.Equal((callId, "get_weather"), (upstreamCall.GetProperty("id").GetString(), upstreamCall.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal(call.GetProperty("arguments").GetString(), upstreamCall.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal((callId, "sunny, 24C"), (turn2[2].GetProperty("tool_call_id").GetString(), ChatText(turn2[2])));
        Assert.Equal(["user", "assistant", "tool", "assistant", "user"], turn3.Select(m => m.GetProperty("role").GetString()));
        Assert.Contains("sunny, 24C", ChatText(turn3[3]), StringComparison.Ordinal);
        Assert.Equal("Thanks!", ChatText(turn3[4]));
    }

    [Fact]
    public async Task A_native_response_whose_provider_no_longer_serves_it_natively_is_continued_by_rebuilding()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var first = await CreatedIdAsync(alice, "Remember 42.");
        await WrittenAsync(gateway, 1);
        // As if a provider with its own Responses API had answered it, and the config then changed.
        await ExecuteAsync(gateway, $"UPDATE responses SET native = 1 WHERE id = '{first}'");

        await CreateAsync(alice, $$"""{"model":"chat","previous_response_id":"{{first}}","input":"Which number?"}""");
        var upstream = await UpstreamMessagesAsync();

        Assert.Equal(["user", "assistant", "user"], upstream.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(("Remember 42.", "Which number?"), (ChatText(upstream[0]), ChatText(upstream[2])));
    }

    [Fact]
    public async Task A_native_response_is_continued_on_its_own_provider_with_previous_response_id_relayed()
    {
        // "n2" would try the chat-only provider first; the conversation made on "native" must stay there.
        var providers = $$"""  native: { type: openai, base_url: "{{mock.BaseUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}", responses: true }""";
        const string Models = """
              n1: [{ provider: native, model: gpt-4o-mini }]
              n2:
                strategy: priority
                deployments:
                  - { provider: mock, model: gpt-4o-mini }
                  - { provider: native, model: gpt-4o }
            """;
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl, providers, Models));
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var first = (await CreateAsync(alice, """{"model":"n1","input":"Remember 42."}""")).GetProperty("id").GetString()!;
        Assert.Equal("/v1/responses", (await mock.LastRequestAsync()).GetProperty("path").GetString());
        await WrittenAsync(gateway, 1);

        var body = $$"""{"model":"n2","previous_response_id":"{{first}}","input":"Which number?"}""";
        using var response = await alice.PostAsync("/v1/responses", Json(body));
        await response.Content.ReadAsStringAsync();
        var upstream = await mock.LastRequestAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("native", response.Headers.GetValues("x-switchboard-provider").Single());
        Assert.Equal("/v1/responses", upstream.GetProperty("path").GetString());
        // Relayed as sent: the upstream holds the conversation; only the model is its own.
        Assert.Equal(body.Replace("\"n2\"", "\"gpt-4o\"", StringComparison.Ordinal), upstream.GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_unknown_previous_response_id_is_a_404_and_reaches_no_upstream()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);
        await mock.ResetAsync();

        var response = await alice.PostAsync("/v1/responses", Json("""{"model":"chat","previous_response_id":"resp_nope","input":"hi"}"""));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Previous response with id 'resp_nope' not found.", error.GetProperty("message").GetString());
        Assert.Equal("previous_response_id", error.GetProperty("param").GetString());
        Assert.Empty(await mock.RequestsAsync());
    }

    [Fact]
    public async Task An_expired_response_is_gone_and_the_pruner_deletes_it()
    {
        var clock = new ManualClock();
        await using var gateway = await StartAsync("responses: { retention: 2d }", clock);
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var id = await CreatedIdAsync(alice, "short-lived");
        var store = await WrittenAsync(gateway, 1);

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}")).Status);
        Assert.Equal(0, await store.PruneAsync());
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        AssertNotFound(await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}"), id);
        var continued = await alice.PostAsync("/v1/responses", Json($$"""{"model":"chat","previous_response_id":"{{id}}","input":"more"}"""));
        Assert.Equal(HttpStatusCode.NotFound, continued.StatusCode);
        Assert.Equal(1, await store.PruneAsync());
        Assert.Equal(0, await RowCountAsync(gateway));
    }

    [Fact]
    public async Task A_database_that_refuses_the_write_fails_no_request()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var warmUp = await CreatedIdAsync(alice, "warm up");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{warmUp}")).Status);
        await ExecuteAsync(gateway, "DROP TABLE responses");

        var created = await CreateAsync(alice, """{"model":"chat","input":"still answered"}""");
        var streamed = await alice.PostAsync("/v1/responses", Json("""{"model":"chat","input":"streamed too","stream":true}"""));

        Assert.Contains("still answered", created.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Contains("response.completed", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_postgres_outage_fails_no_request_and_continuing_says_try_again()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl) + $"\ndatabase: \"{pg.Url}\"\n");
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var before = await CreatedIdAsync(alice, "before");
        await WrittenAsync(gateway, 1);

        await pg.StopServerAsync();
        var during = await CreateAsync(alice, """{"model":"chat","input":"during the outage"}""");
        var streamed = await alice.PostAsync("/v1/responses", Json("""{"model":"chat","input":"streamed","stream":true}"""));
        var continued = await alice.PostAsync("/v1/responses", Json($$"""{"model":"chat","previous_response_id":"{{before}}","input":"more"}"""));
        await pg.StartServerAsync();

        Assert.Contains("during the outage", during.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, continued.StatusCode);
        Assert.Equal("stored_responses_unavailable",
            JsonDocument.Parse(await continued.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>
    /// Waits until <paramref name="count"/> responses are in the database. The store is handed a response just after
    /// its client has the answer, so "nothing pending" alone can be seen before the save.
    /// </summary>
    private static async Task<ResponseStore> WrittenAsync(GatewayInstance gateway, long count)
    {
        var store = gateway.Services.GetRequiredService<ResponseStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((store.Stored < count || store.Pending > 0) && DateTime.UtcNow < deadline) await Task.Delay(25);
        Assert.Equal(count, store.Stored);
        return store;
    }

    /// <summary>A chat message's text, whether its content is a string or text parts.</summary>
    private static string ChatText(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
    }

    private static async Task<long> RowCountAsync(GatewayInstance gateway)
    {
        var db = gateway.Services.GetRequiredService<SwitchboardDatabase>();
        await using var connection = await db.OpenAsync();
        await using var command = SwitchboardDatabase.Command(connection, "SELECT COUNT(*) FROM responses");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(GatewayInstance gateway, string sql)
    {
        var db = gateway.Services.GetRequiredService<SwitchboardDatabase>();
        await using var connection = await db.OpenAsync();
        await using var command = SwitchboardDatabase.Command(connection, sql);
        await command.ExecuteNonQueryAsync();
    }
}
