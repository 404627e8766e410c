using Switchboard.Translation.Canonical;

namespace Switchboard.Core.Tests.Providers;

/// <summary>How the writers join several part texts into one (TextJoin).</summary>
public sealed class TextJoinTests
{
    [Fact]
    public void Nothing_joins_to_empty_and_one_text_passes_through_uncopied()
    {
        Assert.Equal("", default(TextJoin).Result);
        var text = new string('x', 3);
        var one = default(TextJoin);
        one.Add(text);
        Assert.Same(text, one.Result);
    }

    [Fact]
    public void Several_texts_join_in_order_with_nothing_between()
    {
        var joined = default(TextJoin);
        joined.Add("Hel");
        joined.Add("");
        joined.Add("lo, ");
        joined.Add("world");
        Assert.Equal("Hello, world", joined.Result);
    }
}
