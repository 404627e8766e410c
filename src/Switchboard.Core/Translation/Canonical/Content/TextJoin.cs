using System.Text;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// Joins the texts of several parts into one string (a dialect that has one text where the canonical message has
/// several parts). One part, the common case, is passed through without a copy; a builder is made only for a second.
/// </summary>
internal struct TextJoin
{
    private string? _single;
    private StringBuilder? _builder;

    public void Add(string text)
    {
        if (_single is null)
        {
            _single = text;
        }
        else
        {
            (_builder ??= new StringBuilder(_single)).Append(text);
        }
    }

    /// <summary>The joined text ("" when nothing was added).</summary>
    public readonly string Result => _builder?.ToString() ?? _single ?? "";
}
