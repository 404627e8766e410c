using System.Buffers;
using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

/// <summary>Runs a <see cref="ResponsesStreamWriter"/> and parses its SSE output back into events, checking every
/// frame's <c>event:</c> line against its <c>type</c>.</summary>
internal static class ResponsesClientSse
{
    public static List<JsonElement> Write(ChatRequest request, IEnumerable<List<StreamEvent>> batches, bool finish = true)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new ResponsesStreamWriter(request))
        {
            foreach (var batch in batches)
            {
                writer.Write(batch, output);
            }
            if (finish)
            {
                writer.Finish(output);
            }
        }
        return Parse(Encoding.UTF8.GetString(output.WrittenSpan));
    }

    public static List<JsonElement> Parse(string sse)
    {
        var events = new List<JsonElement>();
        foreach (var frame in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var data = JsonElement.Parse(lines[1]["data: ".Length..]);
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            events.Add(data);
        }
        return events;
    }

    public static ChatRequest Request(string json = """{"model":"m","input":"x"}""") =>
        ResponsesRequestReader.Read(Encoding.UTF8.GetBytes(json)).Value!;
}
