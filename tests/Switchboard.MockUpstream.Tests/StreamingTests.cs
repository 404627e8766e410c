namespace Switchboard.MockUpstream.Tests;

public sealed class StreamingTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Chat = "/v1/chat/completions";
    private readonly MockHost _mock = fixture.Host;

    private async Task<(HttpResponseMessage Response, List<string> Events)> StreamAsync(string body)
    {
        var response = await _mock.PostAsync(Chat, J(body));
        Assert.Equal(200, (int)response.StatusCode);
        return (response, Wire.DataEvents(await response.Content.ReadAsStringAsync()));
    }

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    [Fact]
    public async Task Text_stream_without_include_usage_has_no_usage_anywhere()
    {
        var (response, events) = await StreamAsync("{'model':'gpt-4o','stream':true,'messages':[{'role':'user','content':'hello big world'}]}");
        using (response)
        {
            Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single());
        }
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Wire.Chunks(events);
        Assert.Equal(6, chunks.Count); // role, 4 pieces, finish
        Assert.All(chunks, c =>
        {
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal(chunks[0].GetProperty("id").GetString(), c.GetProperty("id").GetString());
            Assert.Equal("gpt-4o", c.GetProperty("model").GetString());
            Assert.False(c.TryGetProperty("usage", out _));
        });

        var first = Delta(chunks[0]);
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal("", first.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("refusal").ValueKind);
        Assert.Equal(["Echo:", " hello", " big", " world"], chunks.Skip(1).Take(4).Select(c => Delta(c).GetProperty("content").GetString()));

        var last = chunks[^1].GetProperty("choices")[0];
        Assert.Empty(last.GetProperty("delta").EnumerateObject());
        Assert.Equal("stop", last.GetProperty("finish_reason").GetString());
        Assert.All(chunks.Take(5), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task Include_usage_adds_null_usage_to_every_chunk_and_a_final_usage_chunk()
    {
        var (response, events) = await StreamAsync("{'model':'gpt-4o','stream':true,'stream_options':{'include_usage':true},'messages':[{'role':'user','content':'hi'}]}");
        response.Dispose();
        var chunks = Wire.Chunks(events);
        Assert.Equal("[DONE]", events[^1]);
        Assert.All(chunks.Take(chunks.Count - 1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        var final = chunks[^1];
        Assert.Equal(0, final.GetProperty("choices").GetArrayLength());
        var usage = final.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(6, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Tool_call_stream_sends_id_and_name_first_then_argument_fragments()
    {
        var (response, events) = await StreamAsync(
            "{'model':'gpt-4o','stream':true,'messages':[{'role':'user','content':'weather'}],'tools':[{'type':'function','function':{'name':'get_weather'," +
            "'parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}}]}");
        response.Dispose();
        var chunks = Wire.Chunks(events);
        var first = Delta(chunks[0]);
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("content").ValueKind);
        var start = first.GetProperty("tool_calls")[0];
        Assert.Equal(0, start.GetProperty("index").GetInt32());
        Assert.StartsWith("call_", start.GetProperty("id").GetString());
        Assert.Equal("function", start.GetProperty("type").GetString());
        Assert.Equal("get_weather", start.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("", start.GetProperty("function").GetProperty("arguments").GetString());

        var fragments = chunks.Skip(1).Take(chunks.Count - 2)
            .Select(c => Delta(c).GetProperty("tool_calls")[0])
            .ToList();
        Assert.All(fragments, f => Assert.False(f.TryGetProperty("id", out _)));
        Assert.True(fragments.Count > 2);
        Assert.Equal("{\"city\":\"sample\"}", string.Concat(fragments.Select(f => f.GetProperty("function").GetProperty("arguments").GetString())));
        Assert.Equal("tool_calls", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Parallel_tool_calls_stream_one_start_chunk_per_call()
    {
        var (response, events) = await StreamAsync(
            "{'model':'gpt-4o','stream':true,'messages':[{'role':'user','content':'parallel please'}],'tools':[{'type':'function','function':{'name':'a'}},{'type':'function','function':{'name':'b'}}]}");
        response.Dispose();
        var chunks = Wire.Chunks(events);
        Assert.False(Delta(chunks[0]).TryGetProperty("tool_calls", out _));
        var starts = chunks.Select(Delta)
            .Where(d => d.TryGetProperty("tool_calls", out var tc) && tc[0].TryGetProperty("id", out _))
            .Select(d => (d.GetProperty("tool_calls")[0].GetProperty("index").GetInt32(), d.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString()))
            .ToList();
        Assert.Equal([(0, "a"), (1, "b")], starts);
    }

    [Fact]
    public async Task N_choices_are_interleaved_and_each_finishes()
    {
        var (response, events) = await StreamAsync("{'model':'gpt-4o','stream':true,'n':2,'messages':[{'role':'user','content':'hi'}]}");
        response.Dispose();
        var chunks = Wire.Chunks(events);
        Assert.Equal([0, 1, 0, 1], chunks.Take(4).Select(c => c.GetProperty("choices")[0].GetProperty("index").GetInt32()));
        Assert.Equal(2, chunks.Count(c => c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String));
    }

    [Fact]
    public async Task Logprobs_stream_like_the_recording()
    {
        var (response, events) = await StreamAsync("{'model':'gpt-4o','stream':true,'logprobs':true,'messages':[{'role':'user','content':'hi'}]}");
        response.Dispose();
        var chunks = Wire.Chunks(events);
        var firstLogprobs = chunks[0].GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(0, firstLogprobs.GetProperty("content").GetArrayLength());
        var piece = chunks[1].GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content")[0];
        Assert.Equal("Echo:", piece.GetProperty("token").GetString());
        Assert.Equal(0, piece.GetProperty("top_logprobs").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, chunks[^1].GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
    }
}
