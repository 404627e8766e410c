namespace Switchboard.Tests.EndToEnd.Audio;

/// <summary><c>POST /v1/moderations</c> through the gateway: relayed to the OpenAI upstream, free unless priced.</summary>
public sealed class ModerationTests(MockUpstreamFixture mock) : AudioTestBase(mock)
{
    private const string Violent = "I will kill the process";

    [Fact]
    public async Task Moderation_without_input_is_a_400()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/moderations", Json("""{"model":"moderation"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", (await ErrorOf(response)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task The_dotnet_sdk_classifies_text_and_the_ledger_records_it_free()
    {
        var client = new OpenAI.Moderations.ModerationClient("moderation", new System.ClientModel.ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());

        var flagged = await client.ClassifyTextAsync(Violent);
        var clean = await client.ClassifyTextAsync("What a lovely day");

        Assert.True(flagged.Value.Flagged);
        Assert.True(flagged.Value.Violence.Flagged);
        Assert.False(clean.Value.Flagged);
        var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        Assert.Equal("omni-moderation-latest", sent.GetProperty("model").GetString());
        Assert.True(flagged.GetRawResponse().Headers.TryGetValue("x-request-id", out var id));
        var record = await Gateway.RecordOfAsync(id!);
        Assert.Equal(("moderations", "moderation", 200), (record.Endpoint, record.Model, record.Status));
        Assert.Equal(0m, record.CostUsd);
    }
}
