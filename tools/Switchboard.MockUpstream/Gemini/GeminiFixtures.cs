using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>
/// Folds a recorded streamGenerateContent into the response a generateContent request gets: text parts of the
/// same kind are joined, a signature-only part goes onto the part before it, usage and finish reason are the last.
/// </summary>
internal static class GeminiFixtures
{
    public static JsonObject Fold(List<ReadOnlyMemory<byte>> frames)
    {
        var candidates = new SortedDictionary<int, (JsonArray Parts, JsonNode? Finish)>();
        JsonNode? usage = null;
        JsonNode? version = null;
        JsonNode? responseId = null;
        foreach (var payload in Payloads(frames))
        {
            if (JsonNode.Parse(payload) is not JsonObject chunk)
            {
                continue;
            }
            usage = chunk["usageMetadata"]?.DeepClone() ?? usage;
            version ??= chunk["modelVersion"]?.DeepClone();
            responseId ??= chunk["responseId"]?.DeepClone();
            foreach (var c in chunk["candidates"] as JsonArray ?? [])
            {
                int index = (int?)c?["index"] ?? 0;
                var acc = candidates.TryGetValue(index, out var existing) ? existing : ([], null);
                foreach (var part in c?["content"]?["parts"] as JsonArray ?? [])
                {
                    Merge(acc.Parts, (JsonObject)part!.DeepClone());
                }
                candidates[index] = (acc.Parts, c?["finishReason"]?.DeepClone() ?? acc.Finish);
            }
        }
        var list = new JsonArray();
        foreach (var (index, (parts, finish)) in candidates)
        {
            var candidate = new JsonObject { ["content"] = new JsonObject { ["parts"] = parts, ["role"] = "model" } };
            if (finish is not null)
            {
                candidate["finishReason"] = finish;
            }
            candidate["index"] = index;
            list.Add(candidate);
        }
        return new JsonObject { ["candidates"] = list, ["usageMetadata"] = usage, ["modelVersion"] = version, ["responseId"] = responseId };
    }

    private static void Merge(JsonArray parts, JsonObject part)
    {
        var previous = parts.Count > 0 ? parts[^1] as JsonObject : null;
        bool isText = part["text"] is not null;
        if (isText && (string?)part["text"] == "" && part["thoughtSignature"] is null)
        {
            return; // the empty closing part of a stream carries nothing
        }
        bool previousText = previous?["text"] is not null && previous["thoughtSignature"] is null;
        if (isText && previousText && (bool?)part["thought"] == (bool?)previous!["thought"])
        {
            previous["text"] = (string?)previous["text"] + (string?)part["text"];
            if (part["thoughtSignature"] is { } signature)
            {
                previous["thoughtSignature"] = signature.DeepClone();
            }
            return;
        }
        parts.Add(part);
    }

    public static IEnumerable<string> Payloads(List<ReadOnlyMemory<byte>> frames)
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
