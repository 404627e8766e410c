using System.Text;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// The text of an output item part (message text, a summary, call arguments), which arrives whole (a non-streamed
/// answer) or in deltas (a stream). One piece is kept as the string it came as; several are joined once, when first
/// read, and the joined string is kept: a whole answer's text is never copied, a streamed one once.
/// </summary>
internal sealed class ResponsesItemText
{
    private string _text;
    private StringBuilder? _pieces;

    public ResponsesItemText(string text = "") => _text = text;

    public void Append(string? piece)
    {
        if (string.IsNullOrEmpty(piece))
        {
            return;
        }
        if (_pieces is null && _text.Length == 0)
        {
            _text = piece;
            return;
        }
        _pieces ??= new StringBuilder(_text);
        _pieces.Append(piece);
    }

    /// <summary>Replaces the text (a custom tool's input unwrapped from its arguments).</summary>
    public void Set(string text)
    {
        _text = text;
        _pieces = null;
    }

    public override string ToString()
    {
        if (_pieces is not null)
        {
            _text = _pieces.ToString();
            _pieces = null;
        }
        return _text;
    }
}
