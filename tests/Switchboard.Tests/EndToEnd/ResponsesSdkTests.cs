using System.ClientModel;
using OpenAI.Responses;

// The SDK marks its Responses client experimental; these tests are exactly its users.
#pragma warning disable OPENAI001

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// The official OpenAI .NET SDK's Responses client (<see cref="ResponsesClient"/>) through the gateway, against the
/// strict mock: create, stream, a function tool round trip, and the stored responses (retrieve, input items, delete).
/// <c>chat</c> is an openai provider without <c>responses: true</c> (translated to Chat Completions), <c>claude</c>
/// an Anthropic upstream.
/// </summary>
public sealed class ResponsesSdkTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders;
    protected override string ExtraModels => ClaudeAndGeminiModels;

    private ResponsesClient Responses(string key = TestConfigs.AliceKey) =>
        new(new ApiKeyCredential(key), new ResponsesClientOptions { Endpoint = new Uri(Gateway.BaseUrl + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    private static readonly BinaryData WeatherParameters = BinaryData.FromString("""
        {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"],"additionalProperties":false}
        """);

    [Theory]
    [InlineData("chat")]
    [InlineData("claude")]
    public async Task Create_answers_with_the_upstream_text_and_usage(string model)
    {
        ResponseResult response = await Responses().CreateResponseAsync(model, "hello responses", previousResponseId: null);

        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal("Echo: hello responses", response.GetOutputText());
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(MessageRole.Assistant, message.Role);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Stream_delivers_the_text_deltas_in_order_then_the_completed_response()
    {
        var text = new StringBuilder();
        var sequence = new List<int>();
        ResponseResult? completed = null;
        await foreach (var update in await Responses().CreateResponseStreamingAsync("chat", "one two three four five", previousResponseId: null))
        {
            sequence.Add(update.SequenceNumber);
            if (update is StreamingResponseOutputTextDeltaUpdate delta) text.Append(delta.Delta);
            if (update is StreamingResponseCompletedUpdate done) completed = done.Response;
        }

        Assert.Equal("Echo: one two three four five", text.ToString());
        Assert.Equal(sequence.Order(), sequence);
        Assert.Equal(sequence.Count, sequence.Distinct().Count());
        Assert.NotNull(completed);
        Assert.Equal(ResponseStatus.Completed, completed!.Status);
        Assert.Equal("Echo: one two three four five", completed.GetOutputText());
        Assert.True(completed.Usage.OutputTokenCount > 0);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("claude")]
    public async Task Function_tool_call_and_its_output_make_a_round_trip(string model)
    {
        var client = Responses();
        List<ResponseItem> input = [ResponseItem.CreateUserMessageItem("weather in Paris?")];
        var options = new CreateResponseOptions(model, input) { Tools = { ResponseTool.CreateFunctionTool("get_weather", WeatherParameters, strictModeEnabled: true, functionDescription: "Weather for a city") } };

        ResponseResult first = await client.CreateResponseAsync(options);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"sample","days":1}""", call.FunctionArguments.ToString());
        Assert.False(string.IsNullOrEmpty(call.CallId));

        input.Add(call);
        input.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, "18 degrees"));
        var followUp = new CreateResponseOptions(model, input) { Tools = { options.Tools[0] } };
        ResponseResult second = await client.CreateResponseAsync(followUp);

        Assert.Equal("The tool returned: 18 degrees", second.GetOutputText());
        Assert.Contains("18 degrees", (await Mock.LastRequestAsync()).GetProperty("body").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_response_can_be_retrieved_listed_and_deleted_by_its_key_only()
    {
        var client = Responses();
        ResponseResult created = await client.CreateResponseAsync("chat", "keep this", previousResponseId: null);

        ResponseResult retrieved = await client.GetResponseAsync(created.Id);
        Assert.Equal(created.Id, retrieved.Id);
        Assert.Equal("Echo: keep this", retrieved.GetOutputText());

        var items = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(created.Id)) items.Add(item);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(items));
        Assert.Equal(MessageRole.User, message.Role);
        Assert.Equal("keep this", Assert.Single(message.Content).Text);

        ResponseResult next = await client.CreateResponseAsync("chat", "and then?", previousResponseId: created.Id);
        Assert.Equal("Echo: and then?", next.GetOutputText());
        var upstream = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        Assert.Equal(["user", "assistant", "user"], upstream.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));

        var other = await Assert.ThrowsAsync<ClientResultException>(() => Responses(TestConfigs.BobKey).GetResponseAsync(created.Id));
        Assert.Equal(404, other.Status);

        ResponseDeletionResult deleted = await client.DeleteResponseAsync(created.Id);
        Assert.True(deleted.Deleted);
        Assert.Equal(created.Id, deleted.ResponseId);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));
        Assert.Equal(404, gone.Status);
    }
}
