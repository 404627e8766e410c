using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary>
/// Folds a recorded Messages stream into the Message object a non-streaming request gets, the way the SDKs'
/// stream accumulators do: block starts, text/thinking/signature/JSON deltas, then the message_delta.
/// </summary>
internal static class AnthropicFixtures
{
    public static JsonObject Fold(List<ReadOnlyMemory<byte>> frames)
    {
        JsonObject message = [];
        var blocks = new SortedDictionary<int, JsonObject>();
        var json = new Dictionary<int, StringBuilder>();
        foreach (var payload in Payloads(frames))
        {
            var e = JsonNode.Parse(payload) as JsonObject;
            switch ((string?)e?["type"])
            {
                case "message_start":
                    message = (JsonObject)e!["message"]!.DeepClone();
                    break;
                case "content_block_start":
                    blocks[(int)e!["index"]!] = (JsonObject)e["content_block"]!.DeepClone();
                    break;
                case "content_block_delta":
                    int index = (int)e!["index"]!;
                    if (blocks.TryGetValue(index, out var block))
                    {
                        ApplyDelta(block, (JsonObject)e["delta"]!, json, index);
                    }
                    break;
                case "message_delta":
                    foreach (var (name, value) in (JsonObject)e!["delta"]!)
                    {
                        message[name] = value?.DeepClone();
                    }
                    if (e["usage"] is JsonObject usage && message["usage"] is JsonObject total)
                    {
                        foreach (var (name, value) in usage)
                        {
                            total[name] = value?.DeepClone();
                        }
                    }
                    break;
            }
        }
        foreach (var (index, text) in json)
        {
            try
            {
                blocks[index]["input"] = JsonNode.Parse(text.ToString());
            }
            catch (JsonException)
            {
                // Cut short (max_tokens): the input stays as the start event gave it.
            }
        }
        message["content"] = new JsonArray([.. blocks.Values]);
        return message;
    }

    private static void ApplyDelta(JsonObject block, JsonObject delta, Dictionary<int, StringBuilder> json, int index)
    {
        switch ((string?)delta["type"])
        {
            case "text_delta":
                Append(block, "text", (string?)delta["text"]);
                break;
            case "thinking_delta":
                Append(block, "thinking", (string?)delta["thinking"]);
                break;
            case "signature_delta":
                Append(block, "signature", (string?)delta["signature"]);
                break;
            case "input_json_delta":
                if (!json.TryGetValue(index, out var sb))
                {
                    json[index] = sb = new StringBuilder();
                }
                sb.Append((string?)delta["partial_json"]);
                break;
            case "citations_delta":
                if (block["citations"] is not JsonArray citations)
                {
                    block["citations"] = citations = [];
                }
                citations.Add(delta["citation"]?.DeepClone());
                break;
            default:
                foreach (var (name, value) in delta)
                {
                    if (name != "type")
                    {
                        block[name] = value?.DeepClone();
                    }
                }
                break;
        }
    }

    private static void Append(JsonObject block, string name, string? text) => block[name] = (string?)block[name] + text;

    private static IEnumerable<string> Payloads(List<ReadOnlyMemory<byte>> frames)
    {
        foreach (var frame in frames)
        {
            foreach (var line in Encoding.UTF8.GetString(frame.Span).Split('\n'))
            {
                string l = line.TrimEnd('\r');
                if (l.StartsWith("data:", StringComparison.Ordinal))
                {
                    yield return l[5..].Trim();
                }
            }
        }
    }
}
