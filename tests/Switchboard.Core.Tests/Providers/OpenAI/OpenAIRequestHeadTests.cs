namespace Switchboard.Core.Tests.Providers.OpenAI;

public sealed class OpenAIRequestHeadTests
{
    private static (OpenAIRequestHead Head, Switchboard.Errors.GatewayError? Error) Parse(string json, OpenAIRequestHead.Kind kind = OpenAIRequestHead.Kind.Chat) =>
        OpenAIRequestHead.Parse(Encoding.UTF8.GetBytes(json), kind);

    [Fact]
    public void Finds_model_stream_and_include_usage_wherever_they_are()
    {
        var (head, error) = Parse("""{"messages":[{"role":"user","content":"{\"model\":\"fake\"}"}],"stream_options":{"include_usage":true},"stream":true,"model":"gpt-4o"}""");
        Assert.Null(error);
        Assert.Equal("gpt-4o", head.Model);
        Assert.True(head.Stream);
        Assert.True(head.ClientWantsUsage);
    }

    [Fact]
    public void Include_usage_only_counts_for_streams()
    {
        var (head, _) = Parse("""{"model":"m","messages":[],"stream_options":{"include_usage":true}}""");
        Assert.False(head.ClientWantsUsage);
    }

    [Fact]
    public void Escaped_model_names_are_decoded()
    {
        var (head, _) = Parse("""{"model":"org\/model\u002Bv2","messages":[]}""");
        Assert.Equal("org/model+v2", head.Model);
    }

    [Theory]
    [InlineData("", "parse the JSON body")]
    [InlineData("{\"model\":\"m\",\"messages\":[]", "parse the JSON body")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}{}", "parse the JSON body")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("{\"model\":null,\"messages\":[]}", "'model' must be a string")]
    [InlineData("{\"model\":\"\",\"messages\":[]}", "must not be empty")]
    [InlineData("{\"model\":\"m\",\"messages\":null}", "Missing required parameter: 'messages'")]
    [InlineData("{\"model\":\"m\",\"messages\":{}}", "must be an array")]
    [InlineData("{\"model\":\"m\",\"messages\":[],\"stream\":1}", "'stream' must be a boolean")]
    public void Malformed_bodies_are_client_errors_with_a_clear_message(string json, string expected)
    {
        var (_, error) = Parse(json);
        Assert.NotNull(error);
        Assert.Equal(400, error!.Status);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embeddings_and_completions_require_their_own_field()
    {
        Assert.Contains("'input'", Parse("""{"model":"m"}""", OpenAIRequestHead.Kind.Embeddings).Error!.Message, StringComparison.Ordinal);
        Assert.Null(Parse("""{"model":"m","input":"x"}""", OpenAIRequestHead.Kind.Embeddings).Error);
        Assert.Contains("'prompt'", Parse("""{"model":"m"}""", OpenAIRequestHead.Kind.Completions).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_generations_require_a_prompt_not_an_input()
    {
        Assert.Null(Parse("""{"model":"m","prompt":"a lighthouse"}""", OpenAIRequestHead.Kind.Images).Error);
        Assert.Contains("'prompt'", Parse("""{"model":"m","input":"x"}""", OpenAIRequestHead.Kind.Images).Error!.Message, StringComparison.Ordinal);
    }
}
