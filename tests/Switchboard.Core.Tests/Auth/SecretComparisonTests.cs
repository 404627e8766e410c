using Switchboard.Auth;

namespace Switchboard.Core.Tests.Auth;

public sealed class SecretComparisonTests
{
    private const string Master = "sk-master-0123456789abcdef";

    [Fact]
    public void The_same_secret_matches()
    {
        Assert.True(SecretComparison.Matches(Master, Master));
        // Another string instance with the same text (the expected digest is remembered by reference).
        Assert.True(SecretComparison.Matches(new string(Master.AsSpan()), new string(Master.AsSpan())));
    }

    [Theory]
    [InlineData("sk-master-0123456789abcdeg")] // one character off, same length
    [InlineData("sk-master-0123456789abcde")] // a prefix
    [InlineData("sk-master-0123456789abcdef ")] // longer
    [InlineData("SK-MASTER-0123456789ABCDEF")] // case matters
    public void A_different_secret_does_not_match(string presented) => Assert.False(SecretComparison.Matches(presented, Master));

    [Fact]
    public void Nothing_matches_a_missing_secret_and_nothing_presented_matches_nothing()
    {
        Assert.False(SecretComparison.Matches("", Master));
        Assert.False(SecretComparison.Matches("", ""));
        Assert.False(SecretComparison.Matches(Master, null));
        Assert.False(SecretComparison.Matches(Master, ""));
    }

    [Fact]
    public void Long_and_non_ascii_secrets_compare_by_their_whole_text()
    {
        var longSecret = new string('k', 5_000) + "é";
        Assert.True(SecretComparison.Matches(longSecret, longSecret));
        Assert.False(SecretComparison.Matches(longSecret[..^1] + "e", longSecret));
        Assert.True(SecretComparison.Matches("clé-€", "clé-€"));
    }

    [Fact]
    public void A_new_expected_secret_replaces_the_remembered_one()
    {
        Assert.True(SecretComparison.Matches(Master, Master));
        Assert.True(SecretComparison.Matches("sk-rotated", "sk-rotated"));
        Assert.False(SecretComparison.Matches(Master, "sk-rotated"));
        Assert.True(SecretComparison.Matches(Master, Master));
    }
}
