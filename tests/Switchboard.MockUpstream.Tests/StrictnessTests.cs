namespace Switchboard.MockUpstream.Tests;

public sealed class StrictnessTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Chat = "/v1/chat/completions";
    private const string User = "'messages':[{'role':'user','content':'hi'}]";
    private const string ToolsDef = "'tools':[{'type':'function','function':{'name':'get_weather','parameters':{'type':'object','properties':{}}}}]";
    private readonly MockHost _mock = fixture.Host;

    [Fact]
    public async Task Missing_bearer_is_401_without_code()
    {
        using var response = await _mock.PostAsync(Chat, J("{'model':'gpt-4o'," + User + "}"), key: null);
        await Wire.AssertErrorAsync(response, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth", null, null, prefix: true);
    }

    [Fact]
    public async Task Wrong_key_is_401_invalid_api_key_with_masked_key()
    {
        using var response = await _mock.PostAsync(Chat, J("{'model':'gpt-4o'," + User + "}"), key: "sk-mock-wrong-key-1234");
        var error = await Wire.AssertErrorAsync(response, 401, "Incorrect API key provided: sk-mock-", null, "invalid_api_key", prefix: true);
        string message = error.GetProperty("message").GetString()!;
        Assert.Contains("*", message);
        Assert.Contains("1234. You can find your API key at https://platform.openai.com/account/api-keys.", message);
        Assert.DoesNotContain("sk-mock-wrong-key-1234", message);
    }

    [Fact]
    public async Task Auth_is_checked_before_the_body()
    {
        using var response = await _mock.PostAsync(Chat, "not json", key: null);
        Assert.Equal(401, (int)response.StatusCode);
    }

    [Fact]
    public async Task Wrong_content_type_is_400()
    {
        using var request = Post(Chat, J("{'model':'gpt-4o'," + User + "}"), contentType: "text/plain");
        using var response = await _mock.Client.SendAsync(request);
        await Wire.AssertErrorAsync(response, 400,
            "Unsupported content type: 'text/plain'. This API method only accepts 'application/json' requests, " +
            "but you specified the header 'Content-Type: text/plain'. Please try again with a supported content type.",
            null, null);
    }

    [Fact]
    public async Task Json_with_charset_is_accepted()
    {
        using var request = Post(Chat, J("{'model':'gpt-4o'," + User + "}"), contentType: "application/json; charset=utf-8");
        using var response = await _mock.Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("\"model\"")]
    public async Task Unparsable_or_non_object_body_is_400(string body)
    {
        using var response = await _mock.PostAsync(Chat, body);
        await Wire.AssertErrorAsync(response, 400, "We could not parse the JSON body of your request. (HINT:", null, null, prefix: true);
    }

    public static TheoryData<string, int, string, string?, string?> InvalidBodies() => new()
    {
        { "{" + User + "}", 400, "you must provide a model parameter", null, null },
        { "{'model':'gpt-9'," + User + "}", 404, "The model `gpt-9` does not exist or you do not have access to it.", null, "model_not_found" },
        { "{'model':'text-embedding-3-small'," + User + "}", 404, "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?", "model", null },
        { "{'model':'gpt-4o'}", 400, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter" },
        { "{'model':'gpt-4o','messages':[]}", 400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array" },
        { "{'model':'gpt-4o','foo':1," + User + "}", 400, "Unrecognized request argument supplied: foo", "foo", null },
        { "{'model':'gpt-4o','stream_options':{'include_usage':true}," + User + "}", 400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", null },
        { "{'model':'gpt-4o','stream':false,'stream_options':{'include_usage':true}," + User + "}", 400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", null },
        { "{'model':'gpt-4o','messages':[{'role':'bot','content':'hi'}]}", 400, "Invalid value: 'bot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", "messages[0].role", "invalid_value" },
        { "{'model':'gpt-4o','messages':[{'content':'hi'}]}", 400, "Missing required parameter: 'messages[0].role'.", "messages[0].role", "missing_required_parameter" },
        { "{'model':'gpt-4o','messages':[{'role':'user'}]}", 400, "Missing required parameter: 'messages[0].content'.", "messages[0].content", "missing_required_parameter" },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':'hi','foo':1}]}", 400, "Additional properties are not allowed ('foo' was unexpected) - 'messages.0'", "messages[0]", null },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':'hi'},{'role':'assistant','tool_calls':[{'id':'call_1','type':'function','function':{'name':'f','arguments':'{}'}}]},{'role':'tool','content':'x'}]}",
            400, "Missing required parameter: 'messages[2].tool_call_id'.", "messages[2].tool_call_id", "missing_required_parameter" },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':'hi'},{'role':'assistant','tool_calls':[{'id':'call_1','type':'function','function':{'name':'f','arguments':'{}'}},{'id':'call_2','type':'function','function':{'name':'g','arguments':'{}'}}]},{'role':'tool','tool_call_id':'call_1','content':'x'},{'role':'user','content':'next'}]}",
            400, "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_2", "messages.[3].role", null },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':'hi'},{'role':'assistant','tool_calls':[{'id':'call_1','type':'function','function':{'name':'f','arguments':'{}'}}]}]}",
            400, "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_1", "messages.[1].role", null },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':'hi'},{'role':'tool','tool_call_id':'call_1','content':'x'}]}",
            400, "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", "messages.[1].role", null },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':'hi'},{'role':'assistant','tool_calls':[{'id':'call_1','type':'function','function':{'name':'f','arguments':'{}'}}]},{'role':'tool','tool_call_id':'call_9','content':'x'}]}",
            400, "Invalid parameter: 'tool_call_id' of 'call_9' not found in 'tool_calls' of previous message.", "messages.[2].tool_call_id", null },
        { "{'model':'gpt-4o'," + User + ",'tools':[{'type':'function','function':{'name':'bad name!'}}]}",
            400, "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", "tools[0].function.name", "invalid_value" },
        { "{'model':'gpt-4o'," + User + ",'tools':[{'type':'function','function':{'name':'" + new string('a', 65) + "'}}]}",
            400, "Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 64, but got a string with length 65 instead.", "tools[0].function.name", "string_above_max_length" },
        { "{'model':'gpt-4o'," + User + ",'tools':[{'type':'retrieval'}]}", 400, "Invalid value: 'retrieval'. Supported values are: 'function' and 'custom'.", "tools[0].type", "invalid_value" },
        { "{'model':'gpt-4o'," + User + ",'tools':[{'type':'function'}]}", 400, "Missing required parameter: 'tools[0].function'.", "tools[0].function", "missing_required_parameter" },
        { "{'model':'gpt-4o'," + User + ",'tools':[{'type':'function','function':{'name':'f','parameters':'x'}}]}", 400, "Invalid type for 'tools[0].function.parameters': expected an object, but got a string instead.", "tools[0].function.parameters", "invalid_type" },
        { "{'model':'gpt-4o'," + User + ",'tools':[]}", 400, "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.", "tools", "empty_array" },
        { "{'model':'gpt-4o'," + User + "," + ToolsDef + ",'tool_choice':{'type':'function','function':{'name':'nope'}}}",
            400, "Invalid value for 'tool_choice': function 'nope' is not one of the functions provided in 'tools'.", "tool_choice", "invalid_value" },
        { "{'model':'gpt-4o'," + User + ",'tool_choice':'auto'}", 400, "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice", null },
        { "{'model':'gpt-4o'," + User + "," + ToolsDef + ",'tool_choice':'always'}", 400, "Invalid value: 'always'. Supported values are: 'none', 'auto', and 'required'.", "tool_choice", "invalid_value" },
        { "{'model':'gpt-4o','temperature':3," + User + "}", 400, "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", "temperature", "decimal_above_max_value" },
        { "{'model':'gpt-4o','temperature':-0.5," + User + "}", 400, "Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -0.5 instead.", "temperature", "decimal_below_min_value" },
        { "{'model':'gpt-4o','temperature':'hot'," + User + "}", 400, "Invalid type for 'temperature': expected a decimal, but got a string instead.", "temperature", "invalid_type" },
        { "{'model':'gpt-4o','n':0," + User + "}", 400, "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead.", "n", "integer_below_min_value" },
        { "{'model':'gpt-4o','n':129," + User + "}", 400, "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.", "n", "integer_above_max_value" },
        { "{'model':'gpt-4o','n':1.5," + User + "}", 400, "Invalid type for 'n': expected an integer, but got a decimal instead.", "n", "invalid_type" },
        { "{'model':'gpt-4o','top_logprobs':2," + User + "}", 400, "Invalid value for 'top_logprobs': 'logprobs' must be set to true in order to use 'top_logprobs'.", "top_logprobs", "invalid_value" },
        { "{'model':'gpt-4o','logprobs':true,'top_logprobs':21," + User + "}", 400, "Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but got 21 instead.", "top_logprobs", "integer_above_max_value" },
        { "{'model':'gpt-4o','stop':['a','b','c','d','e']," + User + "}", 400, "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 5 instead.", "stop", "array_above_max_length" },
        { "{'model':'gpt-4o','response_format':{'type':'json_object'}," + User + "}", 400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages", null },
        { "{'model':'gpt-4o','response_format':{'type':'xml'}," + User + "}", 400, "Invalid value: 'xml'. Supported values are: 'text', 'json_object', and 'json_schema'.", "response_format.type", "invalid_value" },
        { "{'model':'gpt-4o','response_format':{'type':'json_schema'}," + User + "}", 400, "Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter" },
        { "{'model':'gpt-4o-mini','reasoning_effort':'low'," + User + "}", 400, "Unsupported parameter: 'reasoning_effort' is not supported with this model.", "reasoning_effort", "unsupported_parameter" },
        { "{'model':'o3-mini','max_tokens':10," + User + "}", 400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "max_tokens", "unsupported_parameter" },
        { "{'model':'o4-mini','temperature':0.5," + User + "}", 400, "Unsupported value: 'temperature' does not support 0.5 with this model. Only the default (1) value is supported.", "temperature", "unsupported_value" },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'ftp://example.com/a.png'}}]}]}", 400, "Invalid image.", "messages[0].content[0].image_url.url", "invalid_image" },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/bmp;base64,AAAA'}}]}]}", 400, "Invalid image.", "messages[0].content[0].image_url.url", "invalid_image" },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png;base64,not base64!'}}]}]}", 400, "Invalid image.", "messages[0].content[0].image_url.url", "invalid_image" },
        { "{'model':'gpt-4o','messages':[{'role':'system','content':[{'type':'image_url','image_url':{'url':'https://example.com/a.png'}}]}]}", 400, "Invalid value: 'image_url'. Supported values are: 'text'.", "messages[0].content[0].type", "invalid_value" },
        { "{'model':'gpt-4o','messages':[{'role':'user','content':[]}]}", 400, "Invalid 'messages[0].content': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages[0].content", "empty_array" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_requests_are_rejected_like_the_api(string body, int status, string message, string? param, string? code)
    {
        using var response = await _mock.PostAsync(Chat, J(body));
        await Wire.AssertErrorAsync(response, status, message, param, code);
    }

    [Theory]
    [InlineData("https://example.com/cat.png")]
    [InlineData("http://example.com/cat.jpg")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("data:image/webp;base64,UklGRg==")]
    public async Task Valid_image_urls_are_accepted(string url)
    {
        var body = J("{'model':'gpt-4o','messages':[{'role':'user','content':[{'type':'text','text':'what is it'},{'type':'image_url','image_url':{'url':'" + url + "'}}]}]}");
        var completion = await _mock.PostJsonAsync(Chat, body);
        Assert.Equal("Echo: what is it", completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        // 3 + ceil(10/4) + 85 for the image
        Assert.Equal(91, completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Unknown_path_is_invalid_url()
    {
        using var response = await _mock.PostAsync("/v1/nope", "{}");
        await Wire.AssertErrorAsync(response, 404, "Invalid URL (POST /v1/nope)", null, null);
        using var get = await _mock.Client.GetAsync("/v1/chat/completions");
        await Wire.AssertErrorAsync(get, 404, "Invalid URL (GET /v1/chat/completions)", null, null);
    }

    [Fact]
    public async Task Every_spec_parameter_is_accepted_as_a_name()
    {
        // Nulls are "not given" for every optional parameter, so this only exercises the name check.
        var sb = new StringBuilder("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]");
        foreach (var name in ChatRequestValidator.KnownParameters.Where(n => n is not ("model" or "messages")))
        {
            sb.Append(",\"").Append(name).Append("\":null");
        }
        sb.Append('}');
        using var response = await _mock.PostAsync(Chat, sb.ToString());
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Error_answers_carry_openai_headers()
    {
        using var response = await _mock.PostAsync(Chat, "{}");
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("2020-10-01", response.Headers.GetValues("openai-version").Single());
        Assert.Equal(new MediaTypeHeaderValue("application/json"), response.Content.Headers.ContentType);
    }
}
