namespace Switchboard.MockUpstream.Tests;

public sealed class ChatBehaviourTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Chat = "/v1/chat/completions";
    private const string WeatherTool =
        "{'type':'function','function':{'name':'get_weather','parameters':{'type':'object'," +
        "'properties':{'city':{'type':'string'},'unit':{'type':'string','enum':['celsius','fahrenheit']},'days':{'type':'integer'}," +
        "'detail':{'type':'object','properties':{'wind':{'type':'boolean'}},'required':['wind']},'tags':{'type':'array'},'note':{'type':'string'}}," +
        "'required':['city','unit','days','detail','tags']}}}";
    private const string TimeTool = "{'type':'function','function':{'name':'get_time'}}";
    private const string WeatherArgs = "{\"city\":\"sample\",\"unit\":\"celsius\",\"days\":1,\"detail\":{\"wind\":true},\"tags\":[]}";
    private readonly MockHost _mock = fixture.Host;

    private static JsonElement Message(JsonElement completion, int choice = 0) => completion.GetProperty("choices")[choice].GetProperty("message");

    [Fact]
    public async Task Echoes_the_last_user_message_with_a_full_completion_object()
    {
        using var response = await _mock.PostAsync(Chat, J("{'model':'gpt-4o','messages':[{'role':'system','content':'be brief'},{'role':'user','content':'hello there world'}]}"));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^req_[0-9a-f]{32}$", response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("2020-10-01", response.Headers.GetValues("openai-version").Single());
        Assert.True(int.TryParse(response.Headers.GetValues("openai-processing-ms").Single(), out _));
        foreach (var name in new[] { "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens" })
        {
            Assert.True(response.Headers.Contains(name), name);
        }

        var c = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("chatcmpl-", c.GetProperty("id").GetString());
        Assert.Equal("chat.completion", c.GetProperty("object").GetString());
        Assert.True(c.GetProperty("created").GetInt64() > 1_700_000_000);
        Assert.Equal("gpt-4o", c.GetProperty("model").GetString());
        Assert.Equal("default", c.GetProperty("service_tier").GetString());
        Assert.Equal("fp_mock", c.GetProperty("system_fingerprint").GetString());
        var choice = c.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("Echo: hello there world", message.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("refusal").ValueKind);
        Assert.Equal(0, message.GetProperty("annotations").GetArrayLength());

        var usage = c.GetProperty("usage");
        // (3 + ceil(8/4)) + (3 + ceil(17/4)) = 5 + 8
        Assert.Equal(13, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(17, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("audio_tokens").GetInt32());
        var details = usage.GetProperty("completion_tokens_details");
        foreach (var name in new[] { "reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens" })
        {
            Assert.Equal(0, details.GetProperty(name).GetInt32());
        }
    }

    [Fact]
    public async Task Text_parts_are_joined_and_mock_models_are_known()
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'mock-anything','messages':[{'role':'user','content':[{'type':'text','text':'one'},{'type':'text','text':'two'}]}]}"));
        Assert.Equal("Echo: one two", Message(c).GetProperty("content").GetString());
        Assert.Equal("mock-anything", c.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Tools_produce_a_call_with_arguments_sampled_from_the_schema()
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','messages':[{'role':'user','content':'weather?'}],'tools':[" + WeatherTool + "," + TimeTool + "]}"));
        Assert.Equal("tool_calls", c.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var message = Message(c);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Matches("^call_[A-Za-z0-9]{24}$", call.GetProperty("id").GetString());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(WeatherArgs, call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Named_tool_choice_calls_that_tool()
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','messages':[{'role':'user','content':'time?'}],'tools':[" + WeatherTool + "," + TimeTool + "],'tool_choice':{'type':'function','function':{'name':'get_time'}}}"));
        var call = Assert.Single(Message(c).GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("get_time", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{}", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Parallel_in_the_prompt_calls_every_tool_unless_disabled()
    {
        string tools = "'tools':[" + WeatherTool + "," + TimeTool + "]";
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','messages':[{'role':'user','content':'do both in parallel'}]," + tools + "}"));
        var calls = Message(c).GetProperty("tool_calls").EnumerateArray().ToList();
        Assert.Equal(["get_weather", "get_time"], calls.Select(x => x.GetProperty("function").GetProperty("name").GetString()));
        Assert.NotEqual(calls[0].GetProperty("id").GetString(), calls[1].GetProperty("id").GetString());

        var single = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','parallel_tool_calls':false,'messages':[{'role':'user','content':'do both in parallel'}]," + tools + "}"));
        Assert.Single(Message(single).GetProperty("tool_calls").EnumerateArray());
    }

    [Fact]
    public async Task Tool_choice_none_answers_with_text()
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','messages':[{'role':'user','content':'hi'}],'tools':[" + TimeTool + "],'tool_choice':'none'}"));
        Assert.Equal("Echo: hi", Message(c).GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_tool_result_is_acknowledged()
    {
        var c = await _mock.PostJsonAsync(Chat, J(
            "{'model':'gpt-4o','tools':[" + TimeTool + "],'messages':[{'role':'user','content':'time?'}," +
            "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function','function':{'name':'get_time','arguments':'{}'}}]}," +
            "{'role':'tool','tool_call_id':'call_1','content':'12:00'}]}"));
        Assert.Equal("The tool returned: 12:00", Message(c).GetProperty("content").GetString());
        Assert.Equal("stop", c.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Json_schema_response_format_follows_the_schema()
    {
        var c = await _mock.PostJsonAsync(Chat, J(
            "{'model':'gpt-4o','messages':[{'role':'user','content':'weather'}],'response_format':{'type':'json_schema','json_schema':{'name':'w','strict':true," +
            "'schema':{'type':'object','properties':{'city':{'type':'string'},'temp':{'type':'number'},'kind':{'$ref':'#/$defs/kind'}},'required':['city','temp','kind'],'additionalProperties':false," +
            "'$defs':{'kind':{'type':'string','enum':['sunny','rain']}}}}}}"));
        Assert.Equal("{\"city\":\"sample\",\"temp\":1,\"kind\":\"sunny\"}", Message(c).GetProperty("content").GetString());
    }

    [Fact]
    public async Task Json_object_mode_echoes_in_json()
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','messages':[{'role':'user','content':'answer in json please'}],'response_format':{'type':'json_object'}}"));
        Assert.Equal("{\"echo\":\"answer in json please\"}", Message(c).GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task Token_limit_cuts_the_answer_with_finish_reason_length(string parameter)
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','" + parameter + "':2,'messages':[{'role':'user','content':'one two three four'}]}"));
        Assert.Equal("Echo: one", Message(c).GetProperty("content").GetString());
        Assert.Equal("length", c.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(2, c.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task N_produces_that_many_choices()
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','n':3,'messages':[{'role':'user','content':'hi'}]}"));
        var choices = c.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(x => x.GetProperty("index").GetInt32()));
        Assert.All(choices, x => Assert.Equal("Echo: hi", x.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(6, c.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Logprobs_give_one_entry_per_piece()
    {
        var c = await _mock.PostJsonAsync(Chat, J("{'model':'gpt-4o','logprobs':true,'top_logprobs':3,'messages':[{'role':'user','content':'hey you'}]}"));
        var logprobs = c.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("refusal").ValueKind);
        var entries = logprobs.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["Echo:", " hey", " you"], entries.Select(e => e.GetProperty("token").GetString()));
        var first = entries[0];
        Assert.True(first.GetProperty("logprob").GetDouble() < 0);
        Assert.Equal("Echo:"u8.ToArray(), first.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray());
        var top = first.GetProperty("top_logprobs").EnumerateArray().ToList();
        Assert.Equal(3, top.Count);
        Assert.Equal("Echo:", top[0].GetProperty("token").GetString());
    }

    [Fact]
    public async Task Words_knob_makes_a_long_answer()
    {
        using var request = Post(Chat, J("{'model':'gpt-4o','messages':[{'role':'user','content':'hi'}]}"));
        request.Headers.Add("x-mock-words", "250");
        using var response = await _mock.Client.SendAsync(request);
        var c = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(250, Message(c).GetProperty("content").GetString()!.Split(' ').Length);
        Assert.Equal(250, c.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
