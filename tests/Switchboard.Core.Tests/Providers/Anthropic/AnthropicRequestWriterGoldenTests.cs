namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>
/// OpenAI requests → canonical → Anthropic body, against expected bodies
/// (Fixtures/anthropic/from-openai/NAME.openai.json → NAME.anthropic.json): system hoisting, role merging,
/// tool result grouping, tool choice, JSON mode through a forced tool, reasoning effort → thinking,
/// default max_tokens, sampling limits.
/// </summary>
public sealed class AnthropicRequestWriterGoldenTests
{
    public static IEnumerable<object[]> Cases() =>
        LocalFixtures.Files("anthropic/from-openai", "*.openai.json")
            .Select(row => new object[] { ((string)row[0]).Replace(".openai.json", "", StringComparison.Ordinal) });

    [Theory]
    [MemberData(nameof(Cases))]
    public void OpenAI_request_becomes_the_expected_Anthropic_body(string name)
    {
        var request = Canon.Request(LocalFixtures.Bytes($"{name}.openai.json"));
        var written = AnthropicRequestRoundTripTests.Write(request);
        JsonSemantic.Equal(LocalFixtures.Text($"{name}.anthropic.json"), Canon.Utf8(written));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_written_body_reads_back_as_a_valid_Anthropic_request(string name)
    {
        var written = AnthropicRequestRoundTripTests.Write(Canon.Request(LocalFixtures.Bytes($"{name}.openai.json")));
        var reread = AnthropicRequestRoundTripTests.Read(written);
        JsonSemantic.Equal(Canon.Utf8(written), Canon.Utf8(AnthropicRequestRoundTripTests.Write(reread)));
    }
}
