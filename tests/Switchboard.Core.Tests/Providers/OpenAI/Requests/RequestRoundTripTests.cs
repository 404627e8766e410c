namespace Switchboard.Core.Tests.Providers.OpenAI.Requests;

/// <summary>Reading a request and writing it back gives the same JSON (member order aside): every
/// field survives, including the ones the canonical model only keeps raw.</summary>
public sealed class RequestRoundTripTests
{
    public static IEnumerable<object[]> RequestFixtures() => LocalFixtures.Files("requests", "*.json");

    [Theory]
    [MemberData(nameof(RequestFixtures))]
    public void Read_then_write_is_exact(string fixture)
    {
        var original = LocalFixtures.Bytes(fixture);
        var written = OpenAIChatRequestWriter.WriteToUtf8Bytes(Canon.Request(original));
        JsonSemantic.Equal(original, written);
    }

    [Theory]
    [MemberData(nameof(RequestFixtures))]
    public void Writing_twice_is_stable(string fixture)
    {
        var once = OpenAIChatRequestWriter.WriteToUtf8Bytes(Canon.Request(LocalFixtures.Bytes(fixture)));
        var twice = OpenAIChatRequestWriter.WriteToUtf8Bytes(Canon.Request(once));
        Assert.Equal(Canon.Utf8(once), Canon.Utf8(twice));
    }

    [Theory]
    [MemberData(nameof(RequestFixtures))]
    public void Upstream_model_is_the_only_change(string fixture)
    {
        var original = LocalFixtures.Bytes(fixture);
        var request = Canon.Request(original);
        var written = OpenAIChatRequestWriter.WriteToUtf8Bytes(request, upstreamModel: "upstream-model-2025");

        var rewritten = Canon.Request(written);
        Assert.Equal("upstream-model-2025", rewritten.Model);
        var back = OpenAIChatRequestWriter.WriteToUtf8Bytes(rewritten, upstreamModel: request.Model);
        JsonSemantic.Equal(original, back);
    }
}
