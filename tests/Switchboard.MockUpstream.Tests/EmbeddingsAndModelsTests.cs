using System.Buffers.Binary;

namespace Switchboard.MockUpstream.Tests;

public sealed class EmbeddingsAndModelsTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Embeddings = "/v1/embeddings";
    private readonly MockHost _mock = fixture.Host;

    private static float[] Vector(JsonElement item) => item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    [Fact]
    public async Task String_input_gives_a_deterministic_unit_vector()
    {
        var a = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-small','input':'hello world'}"));
        var b = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-small','input':'hello world'}"));
        Assert.Equal("list", a.GetProperty("object").GetString());
        Assert.Equal("text-embedding-3-small", a.GetProperty("model").GetString());
        var item = a.GetProperty("data")[0];
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        Assert.Equal(0, item.GetProperty("index").GetInt32());
        var v = Vector(item);
        Assert.Equal(1536, v.Length);
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3);
        Assert.Equal(v, Vector(b.GetProperty("data")[0]));
        Assert.Equal(3, a.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, a.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Large_model_dimensions_and_the_dimensions_parameter()
    {
        var large = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-large','input':'x'}"));
        Assert.Equal(3072, Vector(large.GetProperty("data")[0]).Length);
        var small = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-large','input':'x','dimensions':256}"));
        Assert.Equal(256, Vector(small.GetProperty("data")[0]).Length);
    }

    [Fact]
    public async Task Arrays_of_strings_tokens_and_token_arrays()
    {
        var strings = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-small','input':['a','b','a']}"));
        var data = strings.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(Vector(data[0]), Vector(data[2]));
        Assert.NotEqual(Vector(data[0]), Vector(data[1]));

        var tokens = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-small','input':[1,2,3]}"));
        Assert.Single(tokens.GetProperty("data").EnumerateArray());
        Assert.Equal(3, tokens.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());

        var nested = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-small','input':[[1,2],[3]]}"));
        Assert.Equal(2, nested.GetProperty("data").GetArrayLength());
        Assert.Equal(3, nested.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Base64_is_little_endian_float32_of_the_same_vector()
    {
        var floats = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-small','input':'same','dimensions':8}"));
        var b64 = await _mock.PostJsonAsync(Embeddings, J("{'model':'text-embedding-3-small','input':'same','dimensions':8,'encoding_format':'base64'}"));
        byte[] raw = Convert.FromBase64String(b64.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, raw.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4))).ToArray();
        Assert.Equal(Vector(floats.GetProperty("data")[0]), decoded);
    }

    [Theory]
    [InlineData("{'model':'text-embedding-3-small','input':''}", 400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", null, null)]
    [InlineData("{'model':'text-embedding-3-small','input':[]}", 400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", null, null)]
    [InlineData("{'model':'text-embedding-3-small','input':['a',1]}", 400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", null, null)]
    [InlineData("{'model':'text-embedding-3-small'}", 400, "Missing required parameter: 'input'.", "input", "missing_required_parameter")]
    [InlineData("{'input':'x'}", 400, "you must provide a model parameter", null, null)]
    [InlineData("{'model':'text-embedding-9','input':'x'}", 404, "The model `text-embedding-9` does not exist or you do not have access to it.", null, "model_not_found")]
    [InlineData("{'model':'gpt-4o','input':'x'}", 403, "You are not allowed to generate embeddings from this model", null, null)]
    [InlineData("{'model':'text-embedding-3-small','input':'x','encoding_format':'int8'}", 400, "Invalid value: 'int8'. Supported values are: 'float' and 'base64'.", "encoding_format", "invalid_value")]
    [InlineData("{'model':'text-embedding-3-small','input':'x','dimensions':2000}", 400, "Invalid 'dimensions': integer above maximum value. Expected a value <= 1536, but got 2000 instead.", "dimensions", "integer_above_max_value")]
    [InlineData("{'model':'text-embedding-3-small','input':'x','foo':1}", 400, "Unrecognized request argument supplied: foo", "foo", null)]
    public async Task Invalid_embedding_requests(string body, int status, string message, string? param, string? code)
    {
        using var response = await _mock.PostAsync(Embeddings, J(body));
        await Wire.AssertErrorAsync(response, status, message, param, code);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? key = Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }
        return await _mock.Client.SendAsync(request);
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Models_list_and_retrieve()
    {
        using (var noKey = await GetAsync("/v1/models", key: null))
        {
            Assert.Equal(401, (int)noKey.StatusCode);
        }
        var list = await GetJsonAsync("/v1/models");
        Assert.Equal("list", list.GetProperty("object").GetString());
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        foreach (var id in new[] { "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "o4-mini", "text-embedding-3-small", "text-embedding-3-large" })
        {
            Assert.Contains(id, ids);
        }
        var model = await GetJsonAsync("/v1/models/gpt-4o");
        Assert.Equal("gpt-4o", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.True(model.GetProperty("created").GetInt64() > 0);
        Assert.Equal("system", model.GetProperty("owned_by").GetString());
        Assert.Equal("mock-x", (await GetJsonAsync("/v1/models/mock-x")).GetProperty("id").GetString());

        using var missing = await GetAsync("/v1/models/gpt-9");
        await Wire.AssertErrorAsync(missing, 404, "The model 'gpt-9' does not exist", "model", "model_not_found");
    }
}
