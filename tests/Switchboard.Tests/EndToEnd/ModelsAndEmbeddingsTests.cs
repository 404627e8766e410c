using System.ClientModel;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace Switchboard.Tests.EndToEnd;

/// <summary><c>/v1/models</c> lists only what the key may use; embeddings relay with usage.</summary>
public sealed class ModelsAndEmbeddingsTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    [Fact]
    public async Task Models_list_shows_every_model_to_an_unrestricted_key_in_config_order()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());
        var models = (await client.GetModelsAsync()).Value;
        Assert.Equal(["chat", "other", "embed", "azure-chat"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.False(string.IsNullOrEmpty(m.OwnedBy)));
    }

    [Fact]
    public async Task Models_list_shows_a_restricted_key_only_its_models()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(TestConfigs.BobKey), SdkOptions());
        Assert.Equal(["chat"], (await client.GetModelsAsync()).Value.Select(m => m.Id));
        Assert.Equal("chat", (await client.GetModelAsync("chat")).Value.Id);
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("other"));
        Assert.Equal(404, ex.Status);
    }

    [Fact]
    public async Task Models_need_a_valid_key()
    {
        using var http = Gateway.Client("sb-nope");
        var response = await http.GetAsync("/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Embeddings_come_back_with_vectors_and_usage()
    {
        var client = new EmbeddingClient("embed", new ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());
        var result = (await client.GenerateEmbeddingsAsync(["first text", "second text"])).Value;

        Assert.Equal(2, result.Count);
        Assert.Equal(1536, result[0].ToFloats().Length);
        Assert.NotEqual(result[0].ToFloats().ToArray(), result[1].ToFloats().ToArray());
        Assert.True(result.Usage.InputTokenCount > 0);
        var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        Assert.Equal("text-embedding-3-small", sent.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Embeddings_without_input_are_a_400()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/embeddings", Json("""{"model":"embed"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'input'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
