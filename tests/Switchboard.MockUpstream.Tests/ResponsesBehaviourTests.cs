namespace Switchboard.MockUpstream.Tests;

/// <summary>Valid Responses requests get a response object shaped as the API's, answered like chat (echo, tool call, tool result).</summary>
public sealed class ResponsesBehaviourTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Path = "/v1/responses";
    private const string Fn = "{'type':'function','name':'get_weather','parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}";
    private readonly MockHost _mock = fixture.Host;

    [Fact]
    public async Task String_input_is_echoed_in_a_completed_response_object()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','input':'hello there','metadata':{'k':'v'}}"));
        Assert.StartsWith("resp_", r.GetProperty("id").GetString());
        Assert.Equal("response", r.GetProperty("object").GetString());
        Assert.Equal("completed", r.GetProperty("status").GetString());
        Assert.Equal("gpt-4o", r.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("error").ValueKind);
        Assert.Equal("v", r.GetProperty("metadata").GetProperty("k").GetString());
        var item = Assert.Single(r.GetProperty("output").EnumerateArray());
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.Equal("assistant", item.GetProperty("role").GetString());
        Assert.Equal("completed", item.GetProperty("status").GetString());
        Assert.StartsWith("msg_", item.GetProperty("id").GetString());
        var part = Assert.Single(item.GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal("Echo: hello there", part.GetProperty("text").GetString());
        var usage = r.GetProperty("usage");
        Assert.Equal(3, usage.GetProperty("output_tokens").GetInt32()); // "Echo:", " hello", " there": one token a word
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task A_background_request_is_answered_at_once_queued_without_output_or_usage()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','input':'hello there','background':true}"));
        Assert.Equal(("queued", true), (r.GetProperty("status").GetString(), r.GetProperty("background").GetBoolean()));
        Assert.Empty(r.GetProperty("output").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("usage").ValueKind);
    }

    [Fact]
    public async Task Message_items_echo_the_last_user_text()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'mock-x','instructions':'be brief','input':[{'role':'developer','content':'rules'},{'type':'message','role':'user','content':[{'type':'input_text','text':'first'},{'type':'input_text','text':'second'}]}]}"));
        Assert.Equal("Echo: first second", OutputText(r));
        Assert.Equal("be brief", r.GetProperty("instructions").GetString());
    }

    [Fact]
    public async Task Function_tools_get_a_function_call_item()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','input':'weather?','tools':[" + Fn + "]}"));
        var call = Assert.Single(r.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.StartsWith("call_", call.GetProperty("call_id").GetString());
        Assert.StartsWith("fc_", call.GetProperty("id").GetString());
        Assert.Equal("completed", call.GetProperty("status").GetString());
        var args = JsonDocument.Parse(call.GetProperty("arguments").GetString()!).RootElement;
        Assert.Equal(JsonValueKind.String, args.GetProperty("city").ValueKind);
        Assert.Equal("get_weather", r.GetProperty("tools")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Tool_choice_none_answers_with_text()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','input':'weather?','tools':[" + Fn + "],'tool_choice':'none'}"));
        Assert.Equal("Echo: weather?", OutputText(r));
    }

    [Fact]
    public async Task Function_call_output_round_trip_acknowledges_the_result()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','tools':[" + Fn + "],'input':[{'role':'user','content':'weather?'}," +
            "{'type':'function_call','call_id':'call_1','name':'get_weather','arguments':'{}'},{'type':'function_call_output','call_id':'call_1','output':'sunny'}]}"));
        Assert.Equal("The tool returned: sunny", OutputText(r));
    }

    [Fact]
    public async Task Custom_tool_call_round_trip_is_accepted()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','tools':[{'type':'custom','name':'apply_patch'}],'input':[{'role':'user','content':'patch it'}," +
            "{'type':'reasoning','id':'rs_1','summary':[{'type':'summary_text','text':'think'}],'encrypted_content':'gAAA'}," +
            "{'type':'custom_tool_call','call_id':'call_p','name':'apply_patch','input':'*** Begin Patch'},{'type':'custom_tool_call_output','call_id':'call_p','output':'Done!'}]}"));
        Assert.Equal("The tool returned: Done!", OutputText(r));
    }

    [Fact]
    public async Task Json_schema_format_answers_from_the_schema()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','input':'hi','text':{'format':{'type':'json_schema','name':'x','strict':true,'schema':{'type':'object','properties':{'n':{'type':'integer'}},'required':['n']}}}}"));
        var json = JsonDocument.Parse(OutputText(r)).RootElement;
        Assert.Equal(JsonValueKind.Number, json.GetProperty("n").ValueKind);
        Assert.Equal("json_schema", r.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Max_output_tokens_cuts_the_answer_and_marks_it_incomplete()
    {
        var r = await _mock.PostJsonAsync("/_knobs/words=40" + Path, J("{'model':'gpt-4o','input':'hi','max_output_tokens':16}"));
        Assert.Equal("incomplete", r.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", r.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(16, r.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(16, r.GetProperty("max_output_tokens").GetInt32());
    }

    [Fact]
    public async Task Request_log_records_responses_requests()
    {
        await using var mock = await MockHost.StartAsync();
        string body = J("{'model':'gpt-4o','input':'logged'}");
        using (var response = await mock.PostAsync("/_knobs/latency_ms=1" + Path, body))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }
        var entry = Assert.Single((await mock.GetJsonAsync("/_mock/requests")).EnumerateArray());
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal(Path, entry.GetProperty("path").GetString());
        Assert.Equal(body, entry.GetProperty("body").GetString());
        Assert.Equal("latency_ms=1", entry.GetProperty("knobs").GetString());
    }

    [Fact]
    public async Task Azure_responses_path_takes_api_key_and_api_version()
    {
        string body = J("{'model':'gpt-4o','input':'hi'}");
        using var ok = new HttpRequestMessage(HttpMethod.Post, "/openai/responses?api-version=2025-04-01-preview") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        ok.Headers.Add("api-key", MockHost.Key);
        using (var response = await _mock.Client.SendAsync(ok))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }
        using var noVersion = new HttpRequestMessage(HttpMethod.Post, "/openai/responses") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        noVersion.Headers.Add("api-key", MockHost.Key);
        using var refused = await _mock.Client.SendAsync(noVersion);
        await Wire.AssertErrorAsync(refused, 400, "The api-version query parameter (?api-version=) is required for all requests.", "api-version", "MissingApiVersionParameter");
    }

    [Fact]
    public async Task Status_knob_fails_with_the_openai_error_of_that_status()
    {
        using var response = await _mock.PostAsync("/_knobs/status=429;retry_after=1" + Path, J("{'model':'gpt-4o','input':'hi'}"));
        await Wire.AssertErrorAsync(response, 429, "Rate limit reached for gpt-4o", null, "rate_limit_exceeded", prefix: true);
        Assert.Equal("1", response.Headers.GetValues("retry-after").Single());
    }

    internal static string OutputText(JsonElement response) =>
        response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
}
