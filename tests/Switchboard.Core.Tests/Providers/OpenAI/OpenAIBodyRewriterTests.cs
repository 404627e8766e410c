using Switchboard.Http;

namespace Switchboard.Core.Tests.Providers.OpenAI;

/// <summary>Golden tests: client body in → exact upstream body out.</summary>
public sealed class OpenAIBodyRewriterTests
{
    private static string Rewrite(string json, string upstreamModel)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var (head, error) = OpenAIRequestHead.Parse(bytes, OpenAIRequestHead.Kind.Chat);
        Assert.Null(error);
        using var output = new PooledBuffer(16);
        OpenAIBodyRewriter.Rewrite(bytes, head, upstreamModel, output);
        var result = Encoding.UTF8.GetString(output.Span);
        JsonDocument.Parse(result).Dispose(); // always valid JSON
        return result;
    }

    [Fact]
    public void Only_the_model_value_changes_and_every_other_byte_is_kept()
    {
        const string body = """{ "model" : "smart",  "messages":[{"role":"user","content":"hi"}], "seed": 1.50, "x_unknown": {"a":[1,2]} }""";
        Assert.Equal("""{ "model" : "gpt-4o-2024-08-06",  "messages":[{"role":"user","content":"hi"}], "seed": 1.50, "x_unknown": {"a":[1,2]} }""",
            Rewrite(body, "gpt-4o-2024-08-06"));
    }

    [Fact]
    public void Streams_get_include_usage_appended()
    {
        Assert.Equal("""{"model":"up","stream":true,"messages":[],"stream_options":{"include_usage":true}}""",
            Rewrite("""{"model":"m","stream":true,"messages":[]}""", "up"));
    }

    [Fact]
    public void Existing_stream_options_are_merged_not_replaced()
    {
        Assert.Equal("""{"model":"up","stream":true,"stream_options":{"include_obfuscation":false,"include_usage":true},"messages":[]}""",
            Rewrite("""{"model":"m","stream":true,"stream_options":{"include_usage":false,"include_obfuscation":false},"messages":[]}""", "up"));
    }

    [Fact]
    public void A_client_that_asked_for_usage_is_left_alone()
    {
        const string body = """{"stream_options":{"include_usage":true},"model":"m","stream":true,"messages":[]}""";
        Assert.Equal(body.Replace("\"m\"", "\"up\"", StringComparison.Ordinal), Rewrite(body, "up"));
    }

    [Fact]
    public void Non_streams_are_not_given_stream_options()
    {
        Assert.Equal("""{"model":"up","messages":[]}""", Rewrite("""{"model":"m","messages":[]}""", "up"));
    }

    [Fact]
    public void Upstream_model_ids_with_special_characters_are_escaped()
    {
        var rewritten = Rewrite("""{"model":"m","messages":[]}""", "acct/model \"quoted\"");
        Assert.Equal("acct/model \"quoted\"", JsonDocument.Parse(rewritten).RootElement.GetProperty("model").GetString());
    }
}
