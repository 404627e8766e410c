using static Switchboard.MockUpstream.Tests.ProviderRequests;

namespace Switchboard.MockUpstream.Tests;

public sealed class AnthropicStrictnessTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Messages = "/v1/messages";
    private const string Hi = "'messages':[{'role':'user','content':'hi'}]";
    private const string Model = "'model':'claude-sonnet-4-5','max_tokens':100,";
    private const string Weather = "{'name':'get_weather','input_schema':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}";
    private readonly MockHost _mock = fixture.Host;

    private static string Body(string rest) => J("{" + Model + rest + "}");

    [Theory]
    [InlineData(null, ProviderRequests.Version, 401, "authentication_error", "x-api-key header is required")] // missing key
    [InlineData("sk-ant-wrong", ProviderRequests.Version, 401, "authentication_error", "invalid x-api-key")] // wrong key
    [InlineData(Key, null, 400, "invalid_request_error", "anthropic-version: header is required")] // missing version
    [InlineData(Key, "2099-01-01", 400, "invalid_request_error", "anthropic-version: \"2099-01-01\" is not a valid version")] // unknown version
    public async Task Key_and_version_headers_are_checked_like_the_api(string? key, string? version, int status, string type, string message)
    {
        using var response = await _mock.Client.SendAsync(AnthropicRequest(Messages, Body(Hi), key, version));
        await ProviderWire.AssertAnthropicErrorAsync(response, status, type, message);
    }

    [Fact]
    public async Task Bearer_auth_is_not_an_api_key()
    {
        using var request = AnthropicRequest(Messages, Body(Hi), key: null);
        request.Headers.Authorization = new("Bearer", Key);
        using var response = await _mock.Client.SendAsync(request);
        await ProviderWire.AssertAnthropicErrorAsync(response, 401, "authentication_error", "x-api-key header is required");
    }

    [Fact]
    public async Task Beta_header_and_beta_query_are_accepted()
    {
        using var request = AnthropicRequest(Messages + "?beta=true", Body(Hi));
        request.Headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
        using var response = await _mock.Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    public async Task Unparsable_or_non_object_body_is_400(string body)
    {
        using var response = await _mock.Client.SendAsync(AnthropicRequest(Messages, body));
        await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error", "", prefix: true);
    }

    public static TheoryData<string, int, string, string> InvalidBodies() => new()
    {
        { "{'max_tokens':5," + Hi + "}", 400, "invalid_request_error", "model: Field required" },
        { "{'model':'claude-sonnet-4-5'," + Hi + "}", 400, "invalid_request_error", "max_tokens: Field required" },
        { "{'model':'claude-sonnet-4-5','max_tokens':5}", 400, "invalid_request_error", "messages: Field required" },
        { "{'model':'claude-sonnet-4-5','max_tokens':0," + Hi + "}", 400, "invalid_request_error", "max_tokens: Input should be greater than or equal to 1" },
        { "{'model':'claude-sonnet-4-5','max_tokens':'many'," + Hi + "}", 400, "invalid_request_error", "max_tokens: Input should be a valid integer" },
        { "{'model':'claude-sonnet-4-5','max_tokens':64001," + Hi + "}", 400, "invalid_request_error",
            "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5" },
        { "{'model':'claude-9','max_tokens':5," + Hi + "}", 404, "not_found_error", "model: claude-9" },
        { "{" + Model + "'foo':1," + Hi + "}", 400, "invalid_request_error", "foo: Extra inputs are not permitted" },
        { "{" + Model + "'response_format':{'type':'json'}," + Hi + "}", 400, "invalid_request_error", "response_format: Extra inputs are not permitted" },
        { "{" + Model + "'messages':[]}", 400, "invalid_request_error", "messages: at least one message is required" },
        { "{" + Model + "'messages':[{'role':'system','content':'be nice'},{'role':'user','content':'hi'}]}", 400, "invalid_request_error",
            "messages: Unexpected role \"system\". Use the top-level system parameter." },
        { "{" + Model + "'messages':[{'role':'bot','content':'hi'}]}", 400, "invalid_request_error", "messages.0.role: Input should be 'user' or 'assistant'" },
        { "{" + Model + "'messages':[{'content':'hi'}]}", 400, "invalid_request_error", "messages.0.role: Field required" },
        { "{" + Model + "'messages':[{'role':'user'}]}", 400, "invalid_request_error", "messages.0.content: Field required" },
        { "{" + Model + "'messages':[{'role':'user','content':'hi','name':'bob'}]}", 400, "invalid_request_error", "messages.0.name: Extra inputs are not permitted" },
        { "{" + Model + "'messages':[{'role':'assistant','content':'hi'}]}", 400, "invalid_request_error", "messages: first message must use the \"user\" role" },
        { "{" + Model + "'messages':[{'role':'user','content':'a'},{'role':'user','content':'b'}]}", 400, "invalid_request_error",
            "messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row" },
        { "{" + Model + "'messages':[{'role':'user','content':'a'},{'role':'assistant','content':'b'},{'role':'assistant','content':'c'}]}", 400, "invalid_request_error",
            "messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"assistant\" roles in a row" },
        { "{" + Model + "'messages':[{'role':'user','content':''}]}", 400, "invalid_request_error",
            "messages.0: all messages must have non-empty content except for the optional final assistant message" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'text','text':''}]}]}", 400, "invalid_request_error", "messages: text content blocks must be non-empty" },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':'Sure '}]}", 400, "invalid_request_error",
            "messages: final assistant content cannot end with trailing whitespace" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'video'}]}]}", 400, "invalid_request_error",
            "messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', …" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'text':'hi'}]}]}", 400, "invalid_request_error", "messages.0.content.0: Unable to extract tag using discriminator 'type'" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'text'}]}]}", 400, "invalid_request_error", "messages.0.content.0.text.text: Field required" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'text','text':'hi','style':'bold'}]}]}", 400, "invalid_request_error",
            "messages.0.content.0.text.style: Extra inputs are not permitted" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'image','source':{'type':'base64','media_type':'image/bmp','data':'AAAA'}}]}]}", 400, "invalid_request_error",
            "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'image','source':{'type':'base64','media_type':'image/png','data':'not base64!'}}]}]}", 400, "invalid_request_error",
            "messages.0.content.0.image.source.base64: invalid base64 data" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'image','source':{'type':'base64','media_type':'image/png','data':''}}]}]}", 400, "invalid_request_error",
            "messages.0.content.0.image.source.base64: image cannot be empty" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'image','source':{'type':'url'}}]}]}", 400, "invalid_request_error", "messages.0.content.0.image.source.url.url: Field required" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'document','source':{'type':'base64','media_type':'image/png','data':'AAAA'}}]}]}", 400, "invalid_request_error",
            "messages.0.content.0.document.source.base64.media_type: Input should be 'application/pdf'" },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'f','input':'x'}]},{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1','content':'ok'}]}]}",
            400, "invalid_request_error", "messages.1.content.0.tool_use.input: Input should be a valid dictionary" },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'tool_use','id':'bad id!','name':'f','input':{}}]}]}",
            400, "invalid_request_error", "messages.1.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'" },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'f','input':{}}]},{'role':'user','content':'thanks'}]}",
            400, "invalid_request_error",
            "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the next message." },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_9','content':'ok'}]}]}", 400, "invalid_request_error",
            "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message." },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'f','input':{}}]},{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1','content':'ok'},{'type':'tool_result','tool_use_id':'toolu_2','content':'ok'}]}]}",
            400, "invalid_request_error",
            "messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_2. Each `tool_result` block must have a corresponding `tool_use` block in the previous message." },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'tool_result','content':'ok'}]}]}", 400, "invalid_request_error", "messages.0.content.0.tool_result.tool_use_id: Field required" },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'thinking','thinking':'hmm'}]}]}", 400, "invalid_request_error",
            "messages.1.content.0.thinking.signature: Field required" },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'thinking','thinking':'hmm','signature':'forged'},{'type':'text','text':'ok'}]},{'role':'user','content':'more'}]}",
            400, "invalid_request_error", "messages.1.content.0: Invalid `signature` in `thinking` block" },
        { "{" + Model + "'system':[{'type':'image'}]," + Hi + "}", 400, "invalid_request_error", "system.0.type: Input should be 'text'" },
        { "{" + Model + "'system':5," + Hi + "}", 400, "invalid_request_error", "system: Input should be a valid string" },
        { "{" + Model + "'temperature':1.5," + Hi + "}", 400, "invalid_request_error", "temperature: Input should be less than or equal to 1" },
        { "{" + Model + "'temperature':-1," + Hi + "}", 400, "invalid_request_error", "temperature: Input should be greater than or equal to 0" },
        { "{" + Model + "'top_p':2," + Hi + "}", 400, "invalid_request_error", "top_p: Input should be less than or equal to 1" },
        { "{" + Model + "'temperature':0.2,'top_p':0.9," + Hi + "}", 400, "invalid_request_error", "`temperature` and `top_p` cannot both be specified for this model. Please use only one." },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'thinking','thinking':'hmm','signature':''},{'type':'text','text':'ok'}]},{'role':'user','content':'more'}]}",
            400, "invalid_request_error", "messages.1.content.0: Invalid `signature` in `thinking` block" },
        { "{" + Model + "'top_k':-1," + Hi + "}", 400, "invalid_request_error", "top_k: Input should be greater than or equal to 0" },
        { "{" + Model + "'stream':'yes'," + Hi + "}", 400, "invalid_request_error", "stream: Input should be a valid boolean" },
        { "{" + Model + "'stop_sequences':'END'," + Hi + "}", 400, "invalid_request_error", "stop_sequences: Input should be a valid list" },
        { "{" + Model + "'stop_sequences':[' ']," + Hi + "}", 400, "invalid_request_error", "stop_sequences: each stop sequence must contain non-whitespace" },
        { "{" + Model + "'metadata':{'user':'u1'}," + Hi + "}", 400, "invalid_request_error", "metadata.user: Extra inputs are not permitted" },
        { "{" + Model + "'service_tier':'priority'," + Hi + "}", 400, "invalid_request_error", "service_tier: Input should be 'auto' or 'standard_only'" },
        { "{" + Model + "'tools':[{'name':'bad name','input_schema':{'type':'object'}}]," + Hi + "}", 400, "invalid_request_error",
            "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'" },
        { "{" + Model + "'tools':[{'name':'f'}]," + Hi + "}", 400, "invalid_request_error", "tools.0.custom.input_schema: Field required" },
        { "{" + Model + "'tools':[{'name':'f','input_schema':{'type':'array'}}]," + Hi + "}", 400, "invalid_request_error", "tools.0.custom.input_schema.type: Input should be 'object'" },
        { "{" + Model + "'tools':[{'name':'f','input_schema':{'type':'object'},'parameters':{}}]," + Hi + "}", 400, "invalid_request_error", "tools.0.custom.parameters: Extra inputs are not permitted" },
        { "{" + Model + "'tools':[{'type':'function','function':{'name':'f'}}]," + Hi + "}", 400, "invalid_request_error",
            "tools.0: Input tag 'function' found using 'type' does not match any of the expected tags: 'custom', …" },
        { "{" + Model + "'tools':[" + Weather + "," + Weather + "]," + Hi + "}", 400, "invalid_request_error", "tools: Tool names must be unique." },
        { "{" + Model + "'tools':[" + Weather + "],'tool_choice':{'type':'required'}," + Hi + "}", 400, "invalid_request_error",
            "tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'" },
        { "{" + Model + "'tools':[" + Weather + "],'tool_choice':'auto'," + Hi + "}", 400, "invalid_request_error", "tool_choice: Input should be a valid dictionary" },
        { "{" + Model + "'tools':[" + Weather + "],'tool_choice':{'type':'tool'}," + Hi + "}", 400, "invalid_request_error", "tool_choice.tool.name: Field required" },
        { "{" + Model + "'tools':[" + Weather + "],'tool_choice':{'type':'none','disable_parallel_tool_use':true}," + Hi + "}", 400, "invalid_request_error",
            "tool_choice.none.disable_parallel_tool_use: Extra inputs are not permitted" },
        { "{'model':'claude-sonnet-4-5','max_tokens':2000,'thinking':{'type':'enabled'}," + Hi + "}", 400, "invalid_request_error", "thinking.enabled.budget_tokens: Field required" },
        { "{'model':'claude-sonnet-4-5','max_tokens':2000,'thinking':{'type':'enabled','budget_tokens':512}," + Hi + "}", 400, "invalid_request_error",
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024" },
        { "{'model':'claude-sonnet-4-5','max_tokens':1024,'thinking':{'type':'enabled','budget_tokens':1024}," + Hi + "}", 400, "invalid_request_error",
            "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size" },
        { "{'model':'claude-sonnet-4-5','max_tokens':2000,'thinking':{'type':'on'}," + Hi + "}", 400, "invalid_request_error",
            "thinking: Input tag 'on' found using 'type' does not match any of the expected tags: 'adaptive', 'disabled', 'enabled'" },
        { "{'model':'claude-sonnet-4-5','max_tokens':2000,'thinking':{'type':'enabled','budget_tokens':1024},'temperature':0.5," + Hi + "}", 400, "invalid_request_error",
            "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility" },
        { "{'model':'claude-sonnet-4-5','max_tokens':2000,'thinking':{'type':'enabled','budget_tokens':1024},'tools':[" + Weather + "],'tool_choice':{'type':'any'}," + Hi + "}",
            400, "invalid_request_error", "Thinking may not be enabled when tool_choice forces tool use." },
        { "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'redacted_thinking','data':'abc'}]}]}", 400, "invalid_request_error",
            "messages.1.content.0: When thinking is disabled, an `assistant` message in the final position cannot contain `thinking`. To use thinking blocks, enable `thinking` in your request." },
        { "{" + Model + "'output_config':{'effort':'extreme'}," + Hi + "}", 400, "invalid_request_error", "output_config.effort: Input should be 'low', 'medium', 'high' or 'max'" },
        { "{" + Model + "'output_config':{'format':{'type':'json_schema'}}," + Hi + "}", 400, "invalid_request_error", "output_config.format.json_schema.schema: Field required" },
        { "{" + Model + "'cache_control':{'type':'persistent'}," + Hi + "}", 400, "invalid_request_error",
            "cache_control: Input tag 'persistent' found using 'type' does not match any of the expected tags: 'ephemeral'" },
        { "{" + Model + "'messages':[{'role':'user','content':[{'type':'text','text':'hi','cache_control':{'type':'ephemeral','ttl':'1d'}}]}]}", 400, "invalid_request_error",
            "messages.0.content.0.text.cache_control.ephemeral.ttl: Input should be '5m' or '1h'" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_requests_are_rejected_like_the_api(string body, int status, string type, string message)
    {
        // A message ending in "…" is checked as a prefix (long tag lists).
        bool prefix = message.EndsWith('…');
        using var response = await _mock.AnthropicAsync(J(body));
        await ProviderWire.AssertAnthropicErrorAsync(response, status, type, prefix ? message[..^1] : message, prefix);
    }

    public static TheoryData<string> AcceptedBodies() => new()
    {
        "{" + Model + "'system':'be brief','metadata':{'user_id':'u1'},'stop_sequences':['END'],'temperature':0.2,'top_k':5," + Hi + "}",
        "{'model':'claude-3-5-haiku-latest','max_tokens':100,'temperature':0.2,'top_p':0.9," + Hi + "}",
        "{" + Model + "'system':[{'type':'text','text':'be brief','cache_control':{'type':'ephemeral','ttl':'1h'}}]," + Hi + "}",
        "{" + Model + "'service_tier':'auto','container':null,'context_management':{'edits':[]},'mcp_servers':[],'inference_geo':'us','output_config':{'effort':'low'}," + Hi + "}",
        "{" + Model + "'tools':[{'type':'web_search_20250305','name':'web_search','max_uses':3}]," + Hi + "}",
        "{" + Model + "'tools':[" + Weather + "],'tool_choice':{'type':'tool','name':'get_weather','disable_parallel_tool_use':true}," + Hi + "}",
        "{" + Model + "'messages':[{'role':'user','content':[{'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBORw0KGgo='}},{'type':'text','text':'what?'}]}]}",
        "{" + Model + "'messages':[{'role':'user','content':[{'type':'image','source':{'type':'url','url':'https://example.com/a.png'}},{'type':'document','source':{'type':'text','media_type':'text/plain','data':'doc'},'title':'t'}]}]}",
        "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':'Sure,'}]}",
        "{" + Model + "'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'tool_use','id':'toolu_1','name':'f','input':{}}]},{'role':'user','content':[{'type':'tool_result','tool_use_id':'toolu_1','content':[{'type':'text','text':'ok'}],'is_error':false},{'type':'text','text':'go on'}]}]}",
        "{'model':'claude-opus-4-1-20250805','max_tokens':32000," + Hi + "}",
        "{'model':'mock-anything','max_tokens':100000," + Hi + "}",
        "{'model':'claude-sonnet-4-5','max_tokens':2000,'thinking':{'type':'disabled'}," + Hi + "}",
        "{'model':'claude-sonnet-4-6','max_tokens':2000,'thinking':{'type':'adaptive'},'temperature':1," + Hi + "}",
    };

    [Theory]
    [MemberData(nameof(AcceptedBodies))]
    public async Task Valid_requests_are_accepted(string body)
    {
        var message = await _mock.AnthropicJsonAsync(J(body));
        Assert.Equal("message", message.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Count_tokens_validates_like_messages_but_rejects_max_tokens()
    {
        using (var response = await _mock.AnthropicAsync(J("{'model':'claude-sonnet-4-5','max_tokens':5," + Hi + "}"), Messages + "/count_tokens"))
        {
            await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error", "max_tokens: Extra inputs are not permitted");
        }
        using (var response = await _mock.AnthropicAsync(J("{'model':'claude-sonnet-4-5','messages':[{'role':'system','content':'x'}]}"), Messages + "/count_tokens"))
        {
            await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error", "messages: Unexpected role", prefix: true);
        }
        using (var response = await _mock.AnthropicAsync(J("{'model':'claude-0'," + Hi + "}"), Messages + "/count_tokens"))
        {
            await ProviderWire.AssertAnthropicErrorAsync(response, 404, "not_found_error", "model: claude-0");
        }
    }
}
