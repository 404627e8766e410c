namespace Switchboard.MockUpstream.Tests;

public sealed class AnthropicBehaviourTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Weather = "{'name':'get_weather','description':'Weather in a city','input_schema':{'type':'object','properties':{'city':{'type':'string'},'days':{'type':'integer'}},'required':['city','days']}}";
    private const string Clock = "{'name':'get_time','input_schema':{'type':'object','properties':{'zone':{'type':'string','enum':['UTC','CET']}},'required':['zone']}}";
    private const string Thinking = "'max_tokens':4000,'thinking':{'type':'enabled','budget_tokens':1024},";
    private readonly MockHost _mock = fixture.Host;

    private static string Text(JsonElement message, int block = 0) => message.GetProperty("content")[block].GetProperty("text").GetString()!;

    [Fact]
    public async Task Plain_message_echoes_the_last_user_text()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'system':'be brief','messages':[{'role':'user','content':'first'},{'role':'assistant','content':'ok'},{'role':'user','content':[{'type':'text','text':'hello big world'}]}]}"));
        Assert.StartsWith("msg_", m.GetProperty("id").GetString());
        Assert.Equal("message", m.GetProperty("type").GetString());
        Assert.Equal("assistant", m.GetProperty("role").GetString());
        Assert.Equal("claude-sonnet-4-5", m.GetProperty("model").GetString());
        Assert.Equal("Echo: hello big world", Text(m));
        Assert.Single(m.GetProperty("content").EnumerateArray());
        Assert.Equal("end_turn", m.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, m.GetProperty("stop_sequence").ValueKind);
        var usage = m.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("output_tokens").GetInt32());
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
        Assert.Equal(0, usage.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("cache_read_input_tokens").GetInt32());
    }

    [Fact]
    public async Task Tools_produce_a_tool_use_with_input_from_the_schema()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'tools':[" + Weather + "," + Clock + "],'messages':[{'role':'user','content':'weather?'}]}"));
        Assert.Equal("tool_use", m.GetProperty("stop_reason").GetString());
        var block = m.GetProperty("content")[0];
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.StartsWith("toolu_", block.GetProperty("id").GetString());
        Assert.Equal("get_weather", block.GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"sample\",\"days\":1}", block.GetProperty("input").GetRawText());
    }

    [Fact]
    public async Task Named_tool_choice_calls_that_tool_and_none_answers_in_text()
    {
        var named = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'tools':[" + Weather + "," + Clock + "],'tool_choice':{'type':'tool','name':'get_time'},'messages':[{'role':'user','content':'time?'}]}"));
        Assert.Equal("get_time", named.GetProperty("content")[0].GetProperty("name").GetString());
        Assert.Equal("{\"zone\":\"UTC\"}", named.GetProperty("content")[0].GetProperty("input").GetRawText());

        var none = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'tools':[" + Weather + "],'tool_choice':{'type':'none'},'messages':[{'role':'user','content':'time?'}]}"));
        Assert.Equal("Echo: time?", Text(none));
    }

    [Fact]
    public async Task Tool_result_is_acknowledged()
    {
        var first = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'tools':[" + Weather + "],'messages':[{'role':'user','content':'weather?'}]}"));
        string id = first.GetProperty("content")[0].GetProperty("id").GetString()!;
        string assistant = first.GetProperty("content").GetRawText();
        var second = await _mock.AnthropicJsonAsync(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"tools\":[" + J(Weather) + "],\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":" + assistant +
            "},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":[{\"type\":\"text\",\"text\":\"21C and sunny\"}]}]}]}");
        Assert.Equal("The tool returned: 21C and sunny", Text(second));
        Assert.Equal("end_turn", second.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Max_tokens_cuts_the_answer()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':2,'messages':[{'role':'user','content':'one two three four'}]}"));
        Assert.Equal("Echo: one", Text(m));
        Assert.Equal("max_tokens", m.GetProperty("stop_reason").GetString());
        Assert.Equal(2, m.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Stop_sequence_ends_the_answer_before_it()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'stop_sequences':['three','two'],'messages':[{'role':'user','content':'one two three'}]}"));
        Assert.Equal("Echo: one ", Text(m));
        Assert.Equal("stop_sequence", m.GetProperty("stop_reason").GetString());
        Assert.Equal("two", m.GetProperty("stop_sequence").GetString());
    }

    [Fact]
    public async Task Json_schema_output_follows_the_schema()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'output_config':{'format':{'type':'json_schema','schema':{'type':'object','properties':{'n':{'type':'integer'}},'required':['n']}}},'messages':[{'role':'user','content':'count'}]}"));
        Assert.Equal("{\"n\":1}", Text(m));
    }

    [Fact]
    public async Task Words_knob_sets_the_answer_length()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'messages':[{'role':'user','content':'hi'}]}"), "/_knobs/words=5/v1/messages");
        Assert.Equal("lorem ipsum dolor sit amet", Text(m));
    }

    [Fact]
    public async Task Count_tokens_matches_the_usage_of_the_same_prompt()
    {
        const string Prompt = "'system':'be brief','tools':[" + Weather + "],'tool_choice':{'type':'none'},'messages':[{'role':'user','content':'a somewhat longer question about things'}]";
        var count = await _mock.AnthropicJsonAsync(J("{'model':'claude-haiku-4-5'," + Prompt + "}"), "/v1/messages/count_tokens");
        var message = await _mock.AnthropicJsonAsync(J("{'model':'claude-haiku-4-5','max_tokens':50," + Prompt + "}"));
        Assert.Single(count.EnumerateObject());
        Assert.Equal(message.GetProperty("usage").GetProperty("input_tokens").GetInt32(), count.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Cached_prefix_is_read_on_the_second_request()
    {
        string system = "[{'type':'text','text':'" + string.Join(' ', Enumerable.Repeat("policy", 80)) + " " + Guid.NewGuid().ToString("N") + "','cache_control':{'type':'ephemeral'}}]";
        var first = (await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':50,'system':" + system + ",'messages':[{'role':'user','content':'q1'}]}"))).GetProperty("usage");
        var second = (await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':50,'system':" + system + ",'messages':[{'role':'user','content':'q2'}]}"))).GetProperty("usage");
        Assert.Equal(0, first.GetProperty("cache_read_input_tokens").GetInt32());
        int read = second.GetProperty("cache_read_input_tokens").GetInt32();
        Assert.True(read > 100, $"read {read}");
        Assert.Equal(first.GetProperty("input_tokens").GetInt32(), second.GetProperty("input_tokens").GetInt32() + read);
        Assert.Equal(0, second.GetProperty("cache_creation_input_tokens").GetInt32());
    }

    [Fact]
    public async Task Thinking_comes_first_with_a_signature()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-opus-4-5'," + Thinking + "'messages':[{'role':'user','content':'why?'}]}"));
        var thinking = m.GetProperty("content")[0];
        Assert.Equal("thinking", thinking.GetProperty("type").GetString());
        Assert.Equal("Thinking about: why?", thinking.GetProperty("thinking").GetString());
        Assert.StartsWith("sig_", thinking.GetProperty("signature").GetString());
        Assert.Equal("Echo: why?", Text(m, 1));
        Assert.Equal(5, m.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    /// <summary>Turn 1 with thinking and a tool; returns the assistant content to send back.</summary>
    private async Task<(string Id, JsonElement Content)> ThinkingToolTurnAsync()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5'," + Thinking + "'tools':[" + Weather + "],'messages':[{'role':'user','content':'weather?'}]}"));
        var content = m.GetProperty("content");
        Assert.Equal(["thinking", "tool_use"], content.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        return (content[1].GetProperty("id").GetString()!, content);
    }

    private static string SecondTurn(string assistantContent, string id) =>
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"tools\":[" + J(Weather) +
        "],\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":" + assistantContent +
        "},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":\"21C\"}]}]}";

    [Fact]
    public async Task Thinking_block_sent_back_with_its_signature_is_accepted()
    {
        var (id, content) = await ThinkingToolTurnAsync();
        var m = await _mock.AnthropicJsonAsync(SecondTurn(content.GetRawText(), id));
        // Without interleaved thinking the model does not think again after a tool result.
        Assert.Equal("The tool returned: 21C", Text(m));
    }

    [Fact]
    public async Task Interleaved_thinking_thinks_again_after_the_tool_result()
    {
        var (id, content) = await ThinkingToolTurnAsync();
        using var request = ProviderRequests.AnthropicRequest("/v1/messages", SecondTurn(content.GetRawText(), id));
        request.Headers.Add("anthropic-beta", "interleaved-thinking-2025-05-14");
        using var response = await _mock.Client.SendAsync(request);
        var m = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["thinking", "text"], m.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Dropped_thinking_block_is_the_apis_400()
    {
        var (id, content) = await ThinkingToolTurnAsync();
        string withoutThinking = "[" + content[1].GetRawText() + "]";
        using var response = await _mock.AnthropicAsync(SecondTurn(withoutThinking, id));
        await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error",
            "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message " +
            "must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks " +
            "from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking");
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("thinking")]
    public async Task Altered_or_emptied_signature_is_rejected(string field)
    {
        var (id, content) = await ThinkingToolTurnAsync();
        var thinking = content[0];
        string altered = field == "signature"
            ? "{\"type\":\"thinking\",\"thinking\":" + thinking.GetProperty("thinking").GetRawText() + ",\"signature\":\"\"}"
            : "{\"type\":\"thinking\",\"thinking\":\"edited\",\"signature\":" + thinking.GetProperty("signature").GetRawText() + "}";
        using var response = await _mock.AnthropicAsync(SecondTurn("[" + altered + "," + content[1].GetRawText() + "]", id));
        await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error", "messages.1.content.0: Invalid `signature` in `thinking` block");
    }

    [Fact]
    public async Task Dropped_thinking_is_fine_once_the_tool_loop_is_over()
    {
        var (id, content) = await ThinkingToolTurnAsync();
        string body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"tools\":[" + J(Weather) +
            "],\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":[" + content[1].GetRawText() +
            "]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":\"21C\"}]},{\"role\":\"assistant\",\"content\":\"It is 21C.\"},{\"role\":\"user\",\"content\":\"thanks\"}]}";
        var m = await _mock.AnthropicJsonAsync(body);
        // A new user turn: the model thinks again and, tools being on offer, calls one.
        Assert.Equal(["thinking", "tool_use"], m.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Anthropic_requests_share_the_request_log_and_stats()
    {
        await using var mock = await MockHost.StartAsync();
        using (var request = ProviderRequests.AnthropicRequest("/_knobs/latency_ms=1/v1/messages?beta=true", J("{'model':'claude-haiku-4-5','max_tokens':10,'stream':true,'messages':[{'role':'user','content':'hi'}]}")))
        using (var response = await mock.Client.SendAsync(request))
        {
            await response.Content.ReadAsStringAsync();
        }
        var log = await mock.GetJsonAsync("/_mock/requests");
        var entry = log[0];
        Assert.Equal("/v1/messages", entry.GetProperty("path").GetString());
        Assert.Equal("beta=true", entry.GetProperty("query").GetString());
        Assert.Equal("latency_ms=1", entry.GetProperty("knobs").GetString());
        Assert.Equal(Key, entry.GetProperty("headers").GetProperty("x-api-key").GetString());
        var stats = await mock.WaitForStatAsync("streams_completed", 1);
        Assert.Equal(1, stats.GetProperty("requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("streams_started").GetInt64());
        Assert.Equal(1, stats.GetProperty("streams_completed").GetInt64());
    }
}
