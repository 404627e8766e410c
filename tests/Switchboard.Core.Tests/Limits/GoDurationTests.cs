using Switchboard.Limits;

namespace Switchboard.Core.Tests.Limits;

public class GoDurationTests
{
    [Theory]
    [InlineData(20, "20ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(59_200, "59.2s")]
    [InlineData(360_000, "6m0s")]
    [InlineData(0, "0s")]
    public void Formats_waits_as_OpenAI_sends_them(int milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
