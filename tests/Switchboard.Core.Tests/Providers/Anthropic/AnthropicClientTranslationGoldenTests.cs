using System.Buffers;
using Switchboard.Providers;
using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>
/// Anthropic requests (Claude Code, the Anthropic SDKs) → canonical → OpenAI and Gemini bodies, against expected bodies
/// (Fixtures/anthropic/to-other/NAME.anthropic.json → NAME.openai.json for <c>gpt-4o</c>, NAME.gemini.json): structured
/// output (<c>output_config.format</c>) becomes each upstream's JSON mode, <c>cache_control</c> goes on to the OpenAI wire
/// (OpenAI-compatible servers such as OpenRouter take it), thinking is left out for OpenAI's non-reasoning models.
/// </summary>
public sealed class AnthropicClientTranslationGoldenTests
{
    public static IEnumerable<object[]> Cases() =>
        LocalFixtures.Files("anthropic/to-other", "*.anthropic.json")
            .Select(row => new object[] { ((string)row[0]).Replace(".anthropic.json", "", StringComparison.Ordinal) });

    private static ChatRequest Read(string name) => AnthropicRequestRoundTripTests.Read(LocalFixtures.Bytes($"{name}.anthropic.json"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Anthropic_request_becomes_the_expected_OpenAI_body(string name)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(OpenAIChatRequestWriter.TryWrite(Read(name), buffer, "gpt-4o"));
        JsonSemantic.Equal(LocalFixtures.Text($"{name}.openai.json"), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Anthropic_request_becomes_the_expected_Gemini_body(string name)
    {
        var written = GeminiRequestWriter.WriteToUtf8Bytes(Read(name));
        Assert.True(written.IsSuccess, written.Error?.ToString());
        JsonSemantic.Equal(LocalFixtures.Text($"{name}.gemini.json"), Encoding.UTF8.GetString(written.Value));
    }

    [Fact]
    public void Thinking_left_out_for_a_chat_model_is_noted_and_kept_for_a_reasoning_model()
    {
        var request = Read("anthropic/to-other/thinking-to-a-chat-model");
        var adjustments = new RequestAdjustments();
        Assert.Null(OpenAIChatRequestWriter.TryWrite(request, new ArrayBufferWriter<byte>(), "gpt-4o-mini", adjustments));
        Assert.Equal("thinking", adjustments.Joined);

        var reasoning = new ArrayBufferWriter<byte>();
        var none = new RequestAdjustments();
        Assert.Null(OpenAIChatRequestWriter.TryWrite(request, reasoning, "o4-mini", none));
        Assert.Contains("\"reasoning_effort\":", Encoding.UTF8.GetString(reasoning.WrittenSpan), StringComparison.Ordinal);
        Assert.Null(none.Joined);
    }

    [Fact]
    public void Top_k_left_out_for_OpenAI_is_noted()
    {
        var adjustments = new RequestAdjustments();
        Assert.Null(OpenAIChatRequestWriter.TryWrite(Read("anthropic/to-other/structured-output"), new ArrayBufferWriter<byte>(), "gpt-4o", adjustments));
        Assert.Equal("top_k", adjustments.Joined);
    }
}
