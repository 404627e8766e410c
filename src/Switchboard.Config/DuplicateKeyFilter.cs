using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Switchboard.Config;

/// <summary>
/// Sits between the YAML parser and <c>YamlStream</c>: reports every duplicate mapping key and drops
/// the repeated key with its value. YamlDotNet's representation model throws on the first duplicate,
/// which would stop us from collecting all errors; filtering here keeps the node model usable.
/// The first occurrence wins, matching what the error message points the operator to.
/// </summary>
internal sealed class DuplicateKeyFilter(IParser inner, Action<Mark, string, string> reportDuplicate) : IParser
{
    // YamlDotNet builds nodes recursively; refusing absurd nesting here keeps a hostile or broken file
    // from overflowing the stack (which no catch could handle). Real configs nest four levels deep.
    private const int MaxDepth = 64;

    private readonly Stack<Frame> _frames = new();

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        while (inner.MoveNext())
        {
            var current = inner.Current!;
            if (current is Scalar key && _frames.TryPeek(out var frame) && frame.IsMapping && frame.ExpectingKey)
            {
                var value = key.Value;
                if (frame.FirstLines.TryGetValue(value, out var firstLine))
                {
                    reportDuplicate(key.Start, KeyPath.Join(frame.Path, value),
                        $"duplicate key '{value}' (first defined on line {firstLine})");
                    SkipNode();
                    continue;
                }

                frame.FirstLines[value] = checked((int)key.Start.Line);
                frame.CurrentKey = value;
            }

            Track(current);
            Current = current;
            return true;
        }

        Current = null;
        return false;
    }

    private void Track(ParsingEvent current)
    {
        switch (current)
        {
            case MappingStart or SequenceStart:
                if (_frames.Count >= MaxDepth)
                {
                    throw new YamlException(current.Start, current.End, $"nesting deeper than {MaxDepth} levels");
                }

                _frames.Push(new Frame(isMapping: current is MappingStart, ChildPath()));
                break;
            case MappingEnd or SequenceEnd:
                _frames.Pop();
                NodeCompleted();
                break;
            case Scalar or AnchorAlias:
                NodeCompleted();
                break;
        }
    }

    // Path of a collection that starts now, derived from where it sits in its parent.
    private string ChildPath()
    {
        if (!_frames.TryPeek(out var parent))
        {
            return "";
        }

        if (!parent.IsMapping)
        {
            return KeyPath.Index(parent.Path, parent.Index);
        }

        return parent.ExpectingKey || parent.CurrentKey is null ? parent.Path : KeyPath.Join(parent.Path, parent.CurrentKey);
    }

    private void NodeCompleted()
    {
        if (!_frames.TryPeek(out var frame))
        {
            return;
        }

        if (frame.IsMapping)
        {
            if (!frame.ExpectingKey)
            {
                frame.CurrentKey = null;
            }

            frame.ExpectingKey = !frame.ExpectingKey;
        }
        else
        {
            frame.Index++;
        }
    }

    // Consumes the value node that follows a dropped duplicate key, however deeply nested.
    private void SkipNode()
    {
        var depth = 0;
        while (inner.MoveNext())
        {
            switch (inner.Current)
            {
                case MappingStart or SequenceStart:
                    depth++;
                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }

            if (depth == 0)
            {
                return;
            }
        }
    }

    private sealed class Frame(bool isMapping, string path)
    {
        public bool IsMapping { get; } = isMapping;
        public string Path { get; } = path;
        public bool ExpectingKey { get; set; } = true;
        public string? CurrentKey { get; set; }
        public int Index { get; set; }
        public Dictionary<string, int> FirstLines { get; } = new(StringComparer.Ordinal);
    }
}
