namespace Switchboard.Config.Tests;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("250ms", 250)]
    [InlineData(" 3s ", 3_000)]
    [InlineData("3 s", 3_000)]
    [InlineData(".5", 500)]
    [InlineData("1.25m", 75_000)]
    [InlineData("2h", 7_200_000)]
    public void Parses(string text, long milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData("1d")]
    [InlineData("1e3")]
    [InlineData("1,5s")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("99999999999999999999h")]
    public void Rejects(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
