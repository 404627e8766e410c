
namespace Switchboard.Tests.Responses;

/// <summary>
/// Stateful Responses API use end to end (gateway and strict mock in process): <c>store</c>, the stored-response
/// endpoints, and <c>previous_response_id</c> on an upstream that only speaks Chat Completions.
/// </summary>
public sealed partial class StoredResponsesTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private const string WeatherTool = """{"type":"function","name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";

    private Task<GatewayInstance> StartAsync(string extraTopLevel = "", TimeProvider? time = null) =>
        GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl, extraTopLevel: extraTopLevel), time: time);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> CreateAsync(HttpClient client, string body)
    {
        var response = await client.PostAsync("/v1/responses", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates a response to a one-line input; its id.</summary>
    private static async Task<string> CreatedIdAsync(HttpClient client, string input) =>
        (await CreateAsync(client, $$"""{"model":"chat","input":"{{input}}"}""")).GetProperty("id").GetString()!;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void AssertNotFound((HttpStatusCode Status, JsonElement Body) answer, string id)
    {
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        var error = answer.Body.GetProperty("error");
        Assert.Equal($"Response with id '{id}' not found.", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_stored_response_reads_back_as_the_client_got_it_and_leaks_no_secret()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);

        var created = await CreateAsync(alice, """{"model":"chat","input":"Say hello"}""");
        var id = created.GetProperty("id").GetString()!;
        var (status, fetched) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}");
        var (_, unprefixed) = await SendAsync(alice, HttpMethod.Get, $"/responses/{id}");

        Assert.StartsWith("resp_", id, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(created.GetRawText()), JsonNode.Parse(fetched.GetRawText())), $"{created}\n!=\n{fetched}");
        Assert.Equal(fetched.GetRawText(), unprefixed.GetRawText());
        foreach (var secret in new[] { MockUpstreamFixture.ProviderKey, TestConfigs.AliceKey, TestConfigs.MasterKey })
        {
            Assert.DoesNotContain(secret, fetched.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_streamed_response_is_stored_as_its_completed_event_carried_it()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);

        var response = await alice.PostAsync("/v1/responses", Json("""{"model":"chat","input":"Stream me","stream":true}"""));
        var events = Sse.JsonChunks(await response.Content.ReadAsStringAsync());
        var completed = events.Single(e => e.GetProperty("type").GetString() == "response.completed").GetProperty("response");
        var id = completed.GetProperty("id").GetString()!;
        var (status, fetched) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(completed.GetRawText()), JsonNode.Parse(fetched.GetRawText())), $"{completed}\n!=\n{fetched}");
        Assert.Contains("Stream me", fetched.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_items_are_listed_in_openai_list_pages_with_stable_ids_a_string_as_one_message()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var items = """[{"role":"developer","content":"Answer in French."},{"type":"message","role":"user","content":[{"type":"input_text","text":"one"}]},{"role":"user","content":"two"}]""";
        var id = (await CreateAsync(alice, $$"""{"model":"chat","input":{{items}}}""")).GetProperty("id").GetString()!;

        var (_, newestFirst) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}/input_items");
        var (_, firstPage) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}/input_items?order=asc&limit=2");
        var after = firstPage.GetProperty("last_id").GetString();
        var (_, secondPage) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}/input_items?order=asc&limit=2&after={after}");
        var (badStatus, bad) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}/input_items?limit=101");
        var (_, ofText) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{await CreatedIdAsync(alice, "just text")}/input_items");

        Assert.Equal("list", newestFirst.GetProperty("object").GetString());
        Assert.Equal(["two", "one", "Answer in French."], newestFirst.GetProperty("data").EnumerateArray().Select(TextOf));
        Assert.False(newestFirst.GetProperty("has_more").GetBoolean());
        Assert.Equal(["Answer in French.", "one"], firstPage.GetProperty("data").EnumerateArray().Select(TextOf));
        Assert.True(firstPage.GetProperty("has_more").GetBoolean());
        Assert.Equal(firstPage.GetProperty("data")[0].GetProperty("id").GetString(), firstPage.GetProperty("first_id").GetString());
        Assert.Equal(["two"], secondPage.GetProperty("data").EnumerateArray().Select(TextOf));
        Assert.False(secondPage.GetProperty("has_more").GetBoolean());
        // The same item has the same id in every listing.
        Assert.Equal(newestFirst.GetProperty("first_id").GetString(), secondPage.GetProperty("last_id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("limit", bad.GetProperty("error").GetProperty("param").GetString());
        // A string input is listed as the one user message it stands for.
        var item = Assert.Single(ofText.GetProperty("data").EnumerateArray());
        Assert.Equal(("message", "user"), (item.GetProperty("type").GetString(), item.GetProperty("role").GetString()));
        Assert.Equal("""[{"type":"input_text","text":"just text"}]""", item.GetProperty("content").GetRawText());
        Assert.StartsWith("msg_", item.GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrieving_as_a_stream_is_refused_as_openai_refuses_a_response_not_run_in_the_background()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var id = await CreatedIdAsync(alice, "stream me again");

        var (status, refused) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}?stream=true");
        var (badStatus, bad) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}?stream=yes");
        var (plainStatus, plain) = await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}?stream=false");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("stream", refused.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("background=true", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "stream"), (badStatus, bad.GetProperty("error").GetProperty("param").GetString()));
        Assert.Equal((HttpStatusCode.OK, id), (plainStatus, plain.GetProperty("id").GetString()));
        AssertNotFound(await SendAsync(alice, HttpMethod.Get, "/v1/responses/resp_unknown?stream=true"), "resp_unknown");
    }

    [Fact]
    public async Task A_deleted_response_is_gone_everywhere()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);
        var id = await CreatedIdAsync(alice, "delete me");

        var (status, deleted) = await SendAsync(alice, HttpMethod.Delete, $"/v1/responses/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""{"id":"{{id}}","object":"response","deleted":true}""", deleted.GetRawText());
        AssertNotFound(await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}"), id);
        AssertNotFound(await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}/input_items"), id);
        AssertNotFound(await SendAsync(alice, HttpMethod.Delete, $"/v1/responses/{id}"), id);
        var continued = await alice.PostAsync("/v1/responses", Json($$"""{"model":"chat","previous_response_id":"{{id}}","input":"more"}"""));
        Assert.Equal(HttpStatusCode.NotFound, continued.StatusCode);
    }

    [Fact]
    public async Task Another_key_cannot_see_continue_or_delete_a_response()
    {
        await using var gateway = await StartAsync();
        using var alice = gateway.Client(TestConfigs.AliceKey);
        using var bob = gateway.Client(TestConfigs.BobKey);
        var id = await CreatedIdAsync(alice, "alice's secret plan");
        await mock.ResetAsync();

        AssertNotFound(await SendAsync(bob, HttpMethod.Get, $"/v1/responses/{id}"), id);
        AssertNotFound(await SendAsync(bob, HttpMethod.Get, $"/v1/responses/{id}/input_items"), id);
        AssertNotFound(await SendAsync(bob, HttpMethod.Delete, $"/v1/responses/{id}"), id);
        var continued = await bob.PostAsync("/v1/responses", Json($$"""{"model":"chat","previous_response_id":"{{id}}","input":"tell me"}"""));
        var error = JsonDocument.Parse(await continued.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, continued.StatusCode);
        Assert.Equal($"Previous response with id '{id}' not found.", error.GetProperty("message").GetString());
        Assert.Equal(("invalid_request_error", "previous_response_id"), (error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
        Assert.Empty(await mock.RequestsAsync());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{id}")).Status);
        using var anonymous = gateway.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, HttpMethod.Get, $"/v1/responses/{id}")).Status);
    }

    [Fact]
    public async Task Store_false_keeps_nothing_and_the_config_default_yields_to_the_request()
    {
        await using var storing = await StartAsync();
        await using var notStoring = await StartAsync("responses: { store: false }");
        using var alice = storing.Client(TestConfigs.AliceKey);
        using var aliceElsewhere = notStoring.Client(TestConfigs.AliceKey);

        var optedOut = (await CreateAsync(alice, """{"model":"chat","input":"x","store":false}""")).GetProperty("id").GetString()!;
        var byDefault = await CreatedIdAsync(aliceElsewhere, "x");
        var optedIn = (await CreateAsync(aliceElsewhere, """{"model":"chat","input":"x","store":true}""")).GetProperty("id").GetString()!;

        AssertNotFound(await SendAsync(alice, HttpMethod.Get, $"/v1/responses/{optedOut}"), optedOut);
        AssertNotFound(await SendAsync(aliceElsewhere, HttpMethod.Get, $"/v1/responses/{byDefault}"), byDefault);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(aliceElsewhere, HttpMethod.Get, $"/v1/responses/{optedIn}")).Status);
    }

    private static string? TextOf(JsonElement item)
    {
        var content = item.GetProperty("content");
        return content.ValueKind == JsonValueKind.String ? content.GetString() : content[0].GetProperty("text").GetString();
    }
}
