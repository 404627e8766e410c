using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// A block with no canonical meaning, put together from its start and its deltas: an
/// <c>input_json_delta</c> builds its <c>input</c>; any other delta's string members are appended to the
/// block's members of the same name, and its other members replace them.
/// </summary>
internal sealed class RawBlock(string type, JsonElement start)
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, StringBuilder> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private StringBuilder? _input;

    public string Type { get; } = type;

    public void Apply(JsonElement delta)
    {
        var isInput = delta.TryGetProperty("type"u8, out var t) && t.ValueEquals("input_json_delta"u8);
        foreach (var member in delta.EnumerateObject())
        {
            if (member.NameEquals("type"u8))
            {
                continue;
            }
            if (isInput && member.NameEquals("partial_json"u8))
            {
                (_input ??= new StringBuilder()).Append(member.Value.GetString());
                continue;
            }
            if (!_texts.ContainsKey(member.Name) && !_values.ContainsKey(member.Name) && !start.TryGetProperty(member.Name, out _))
            {
                _order.Add(member.Name);
            }
            if (member.Value.ValueKind == JsonValueKind.String)
            {
                if (!_texts.TryGetValue(member.Name, out var text))
                {
                    _texts[member.Name] = text = new StringBuilder();
                }
                text.Append(member.Value.GetString());
            }
            else
            {
                _values[member.Name] = member.Value;
            }
        }
    }

    public JsonElement Build()
    {
        if (_input is null && _order.Count == 0 && _texts.Count == 0 && _values.Count == 0)
        {
            return start;
        }
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WireWriting.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var member in start.EnumerateObject())
            {
                writer.WritePropertyName(member.Name);
                WriteMember(writer, member.Name, member.Value);
            }
            foreach (var name in _order)
            {
                writer.WritePropertyName(name);
                WriteMember(writer, name, default);
            }
            writer.WriteEndObject();
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private void WriteMember(Utf8JsonWriter writer, string name, JsonElement original)
    {
        if (name == "input" && _input is not null && ToolInput.IsObject(Encoding.UTF8.GetBytes(_input.ToString())))
        {
            writer.WriteRawValue(_input.ToString());
        }
        else if (_texts.TryGetValue(name, out var text))
        {
            var head = original.ValueKind == JsonValueKind.String ? original.GetString() : "";
            writer.WriteStringValue(head + text);
        }
        else if (_values.TryGetValue(name, out var value))
        {
            value.WriteTo(writer);
        }
        else
        {
            original.WriteTo(writer);
        }
    }
}
