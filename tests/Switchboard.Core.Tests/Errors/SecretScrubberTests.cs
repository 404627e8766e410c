using Switchboard.Errors;

namespace Switchboard.Core.Tests.Errors;

public sealed class SecretScrubberTests
{
    [Theory]
    [InlineData("key sk-abc123def456 bad", "key [redacted] bad")]
    [InlineData("Incorrect API key provided: sk-mo****-key.", "Incorrect API key provided: [redacted].")]
    [InlineData("gemini AIzaSyA1234567890abcdef rejected", "gemini [redacted] rejected")]
    [InlineData("nothing secret here", "nothing secret here")]
    public void Key_shaped_tokens_are_redacted(string input, string expected) =>
        Assert.Equal(expected, SecretScrubber.Scrub(input));

    [Fact]
    public void The_exact_provider_key_is_redacted_whatever_its_shape() =>
        Assert.Equal("bad key [redacted]!", SecretScrubber.Scrub("bad key plainsecretvalue!", "plainsecretvalue"));

    [Fact]
    public void Json_keeps_its_shape_and_loses_every_secret_in_its_strings()
    {
        var scrubbed = System.Text.Encoding.UTF8.GetString(SecretScrubber.ScrubJson(
            """{"type":"error","error":{"type":"overloaded_error","message":"key plainsecretvalue and sk-abc123def456 refused","n":[1,2.5,true,null]}}"""u8,
            "plainsecretvalue"));

        Assert.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"key [redacted] and [redacted] refused","n":[1,2.5,true,null]}}""", scrubbed);
    }
}
