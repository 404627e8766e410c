namespace Switchboard.MockUpstream.Tests;

public sealed class AzureTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string ChatPath = "/openai/deployments/gpt-4o/chat/completions";
    private static readonly string Body = J("{'messages':[{'role':'user','content':'hi azure'}]}");
    private readonly MockHost _mock = fixture.Host;

    private Task<HttpResponseMessage> SendAsync(string path, string body, string? apiKey = Key, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Add("api-key", apiKey);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        return _mock.Client.SendAsync(request);
    }

    [Fact]
    public async Task Requires_the_api_key_header_not_bearer()
    {
        using var none = await SendAsync(ChatPath + "?api-version=2024-10-21", Body, apiKey: null);
        await Wire.AssertErrorAsync(none, 401, "Access denied due to invalid subscription key or wrong API endpoint.", null, "401", prefix: true);
        using var bearer = await SendAsync(ChatPath + "?api-version=2024-10-21", Body, apiKey: null, bearer: Key);
        Assert.Equal(401, (int)bearer.StatusCode);
        using var wrong = await SendAsync(ChatPath + "?api-version=2024-10-21", Body, apiKey: "nope");
        Assert.Equal(401, (int)wrong.StatusCode);
    }

    [Fact]
    public async Task Requires_api_version()
    {
        using var response = await SendAsync(ChatPath, Body);
        await Wire.AssertErrorAsync(response, 400, "The api-version query parameter (?api-version=) is required for all requests.", "api-version", "MissingApiVersionParameter");
    }

    [Fact]
    public async Task Deployment_is_the_model()
    {
        using var response = await SendAsync(ChatPath + "?api-version=2024-10-21", Body);
        Assert.Equal(200, (int)response.StatusCode);
        var c = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("gpt-4o", c.GetProperty("model").GetString());
        Assert.Equal("Echo: hi azure", c.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        using var unknown = await SendAsync("/openai/deployments/nope/chat/completions?api-version=2024-10-21", Body);
        await Wire.AssertErrorAsync(unknown, 404, "The API deployment for this resource does not exist.", null, "DeploymentNotFound", prefix: true);
    }

    [Fact]
    public async Task Streams_and_knobs_work_on_azure_paths()
    {
        using var response = await SendAsync("/_knobs/truncate_after=2" + ChatPath + "?api-version=2024-10-21", J("{'stream':true,'messages':[{'role':'user','content':'hi'}]}"));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, Wire.DataEvents(await response.Content.ReadAsStringAsync()).Count);
    }

    [Fact]
    public async Task Embeddings_on_azure()
    {
        using var response = await SendAsync("/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21", J("{'input':'hello'}"));
        Assert.Equal(200, (int)response.StatusCode);
        var e = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1536, e.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());

        using var wrongKind = await SendAsync("/openai/deployments/gpt-4o/embeddings?api-version=2024-10-21", J("{'input':'hello'}"));
        await Wire.AssertErrorAsync(wrongKind, 400, "The embeddings operation does not work with the specified model, gpt-4o.", null, "OperationNotSupported", prefix: true);
    }
}
