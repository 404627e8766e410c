using Switchboard.Translation.Json;

namespace Switchboard.Core.Tests.Providers.OpenAI.Requests;

/// <summary>
/// Issue 19 item 10: System.Text.Json tokenizes lone surrogate escapes and invalid UTF-8 but throws
/// InvalidOperationException when the string is read, which escaped the readers as a 500. The readers now refuse such
/// bodies as invalid JSON, and <see cref="JsonTextCheck"/> leaves valid text (pairs, escaped backslashes) alone.
/// </summary>
public sealed class InvalidUnicodeTests
{
    public static TheoryData<string> Bodies => new()
    {
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud800\\u0041\"", "\"x\\uDBFF\"", "\"\\udfff\\ud800\"",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Lone_surrogate_escape_is_a_validation_error_in_both_readers_not_an_exception(string content)
    {
        var openai = OpenAIChatRequestReader.Read(Encoding.UTF8.GetBytes($$"""{"model":"m","messages":[{"role":"user","content":{{content}}}]}"""));
        var anthropic = AnthropicMessagesRequestReader.Read(Encoding.UTF8.GetBytes($$"""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":{{content}}}]}"""));
        foreach (var result in new[] { openai, anthropic })
        {
            Assert.False(result.IsSuccess);
            Assert.Equal(ValidationError.InvalidJson, result.Error!.Code);
            Assert.Contains("lone UTF-16 surrogate", result.Error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0xc0, 0xaf })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    [InlineData(new byte[] { 0xe2, 0x82 })]
    public void Invalid_utf8_is_a_validation_error_in_both_readers_not_an_exception(byte[] bad)
    {
        byte[] Body(string head) => [.. Encoding.UTF8.GetBytes(head), .. bad, .. "\"}]}"u8.ToArray()];
        var openai = OpenAIChatRequestReader.Read(Body("""{"model":"m","messages":[{"role":"user","content":"a"""));
        var anthropic = AnthropicMessagesRequestReader.Read(Body("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a"""));
        foreach (var result in new[] { openai, anthropic })
        {
            Assert.False(result.IsSuccess);
            Assert.Contains("not valid UTF-8", result.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\"\\ud83d\\ude00\"")]
    [InlineData("\"\\\\ud800\"")]
    [InlineData("\"\\u00e9 \\n \\\" \\u0041\"")]
    [InlineData("\"\u00e9\u4e2d\U0001F600\"")]
    public void Valid_text_passes_the_check(string json) => Assert.Null(JsonTextCheck.Check(Encoding.UTF8.GetBytes(json)));
}
