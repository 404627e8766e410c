using Switchboard.Pipeline;

namespace Switchboard.Core.Tests.Pipeline;

/// <summary>Token counts are the tiktoken encodings' own, of what the model sees, not of the JSON around it.</summary>
public sealed class TokenCounterTests
{
    private static long Body(string json, string model = "gpt-4o") => TokenCounter.For(model).CountRequestBody(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("openai/gpt-4o-mini", "o200k_base")]
    [InlineData("gpt-4.1", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo-2024-04-09", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("text-embedding-3-small", "cl100k_base")]
    [InlineData("claude-sonnet-4-5", "o200k_base")] // an approximation: Anthropic's tokenizer is not published
    [InlineData("gemini-2.5-flash", "o200k_base")]
    public void Each_model_gets_its_encoding(string model, string encoding) => Assert.Equal(encoding, TokenCounter.For(model).Encoding);

    [Theory]
    [InlineData("hello world", 2, 2)]
    [InlineData("Hello, world! How are you today?", 9, 9)]
    [InlineData("count these words please", 4, 4)]
    public void Texts_count_as_the_encodings_do(string text, int o200k, int cl100k)
    {
        Assert.Equal(o200k, TokenCounter.For("gpt-4o").Count(text));
        Assert.Equal(cl100k, TokenCounter.For("gpt-4").Count(text));
    }

    [Fact]
    public void A_long_text_counts_the_same_in_slices_as_whole()
    {
        var sentence = "The quick brown fox jumps over the lazy dog. ";
        var text = string.Concat(Enumerable.Repeat(sentence, 2000)); // 90,000 characters: many slices
        var whole = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(text);
        Assert.InRange(TokenCounter.For("gpt-4o").Count(text), whole - 12, whole + 12); // a slice boundary may move a space
    }

    [Fact]
    public void A_long_text_sent_again_counts_the_same_from_memory()
    {
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i} of a system prompt; "));
        var json = $$"""{"model":"gpt-4o","messages":[{"role":"system","content":"{{text}}"}]}""";
        var expected = 3 + 1 + TokenCounter.For("gpt-4o").Count(text) + 3;
        Assert.Equal(expected, Body(json)); // counted, then remembered
        Assert.Equal(expected, Body(json)); // recalled
        Assert.Equal(expected + 2 + 1 + 3, Body(json.Replace("]}", """,{"role":"user","content":"hello world"}]}""", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_chat_body_counts_its_messages_not_its_json()
    {
        // 3 per message + "user" (1) + "hello world" (2) + 3 for the reply: OpenAI's accounting for gpt-4o.
        Assert.Equal(9, Body("""{"model":"gpt-4o","messages":[{"role":"user","content":"hello world"}]}"""));
        // Options, ids and metadata are not text the model reads.
        Assert.Equal(9, Body("""
            {"model":"gpt-4o","temperature":0.2,"max_tokens":32000,"stream":true,"stream_options":{"include_usage":true},
             "metadata":{"user_id":"a-long-identifier-that-would-cost-tokens"},"user":"someone",
             "messages":[{"role":"user","content":[{"type":"text","text":"hello world"}]}]}
            """));
        // Escapes are counted as the text they stand for.
        Assert.Equal(9, Body("""{"model":"gpt-4o","messages":[{"role":"user","content":"hello \u0077orld"}]}"""));
    }

    [Fact]
    public void An_image_costs_a_fixed_amount_whatever_the_size_of_its_data()
    {
        var data = Convert.ToBase64String(new byte[150_000]);
        var openAI = Body($$$"""{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,{{{data}}}"}}]}]}""");
        var anthropic = Body($$$"""{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{data}}}"}}]}]}""");
        Assert.Equal(3 + 1 + TokenCounter.PerImage + 3, openAI);
        Assert.Equal(openAI, anthropic);
    }

    [Fact]
    public void Tool_schemas_count_their_property_names_and_descriptions()
    {
        const string Tool = """{"type":"function","function":{"name":"get_weather","description":"hello world","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}""";
        var withTool = Body($$"""{"model":"gpt-4o","messages":[{"role":"user","content":"hello world"}],"tools":[{{Tool}}]}""");
        var counter = TokenCounter.For("gpt-4o");
        // name + description + the schema's property names ("type" twice, "properties", "location") and strings.
        var schema = counter.Count("type") * 2 + counter.Count("object") + counter.Count("properties") + counter.Count("location") + counter.Count("string");
        Assert.Equal(9 + counter.Count("get_weather") + counter.Count("hello world") + schema, withTool);

        // The parsed request (count_tokens) counts the same things.
        var request = new ChatRequest
        {
            Model = "gpt-4o",
            Messages = [Message.FromText(ChatRole.User, "hello world")],
            Tools = [new FunctionTool("get_weather") { Description = "hello world", Parameters = JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}}}""").RootElement }],
        };
        Assert.Equal(withTool, counter.Count(request));
    }

    [Fact]
    public void Bad_text_is_counted_by_size_instead_of_failing()
    {
        Assert.True(Body("""{"model":"gpt-4o","messages":[{"role":"user","content":"\ud800 lone surrogate"}]}""") > 0);
        Assert.Equal(2, Body("[1,2,3]")); // not an object: 4 bytes a token (validation refuses it anyway)
    }
}
