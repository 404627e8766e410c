namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>Anthropic requests (what Claude Code and the SDKs send) read and written back come out as they
/// went in, member order aside: every block, tool, control and unknown member survives.</summary>
public sealed class AnthropicRequestRoundTripTests
{
    public static IEnumerable<object[]> RequestFixtures() => LocalFixtures.Files("anthropic/requests", "*.json");

    internal static ChatRequest Read(byte[] json)
    {
        var result = AnthropicMessagesRequestReader.Read(json);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    internal static byte[] Write(ChatRequest request, string? upstreamModel = null, AnthropicWriteOptions? options = null)
    {
        var result = AnthropicMessagesRequestWriter.WriteToUtf8Bytes(request, upstreamModel, options);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    [Theory]
    [MemberData(nameof(RequestFixtures))]
    public void Read_then_write_is_exact(string fixture)
    {
        var original = LocalFixtures.Bytes(fixture);
        JsonSemantic.Equal(original, Write(Read(original)));
    }

    [Theory]
    [MemberData(nameof(RequestFixtures))]
    public void Writing_twice_is_stable(string fixture)
    {
        var once = Write(Read(LocalFixtures.Bytes(fixture)));
        var twice = Write(Read(once));
        Assert.Equal(Canon.Utf8(once), Canon.Utf8(twice));
    }

    [Theory]
    [MemberData(nameof(RequestFixtures))]
    public void Upstream_model_is_the_only_change(string fixture)
    {
        var original = LocalFixtures.Bytes(fixture);
        var request = Read(original);
        var rewritten = Read(Write(request, upstreamModel: "claude-upstream-id"));
        Assert.Equal("claude-upstream-id", rewritten.Model);
        JsonSemantic.Equal(original, Write(rewritten, upstreamModel: request.Model));
    }
}
