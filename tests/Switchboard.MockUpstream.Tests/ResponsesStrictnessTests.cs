namespace Switchboard.MockUpstream.Tests;

/// <summary>POST /v1/responses refuses what the real Responses API refuses, with its status, message, param and code.</summary>
public sealed class ResponsesStrictnessTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Path = "/v1/responses";
    private const string Fn = "{'type':'function','name':'get_weather','parameters':{'type':'object','properties':{'city':{'type':'string'}}}}";
    private readonly MockHost _mock = fixture.Host;

    /// <summary>One row a refusal: its name, the request (single quotes for double), then message, param, code, and whether the message is a prefix.</summary>
    public static TheoryData<string, string, string, string?, string?, bool> Refusals() => new()
    {
        { "Unknown_top_level_parameter_is_unknown_parameter", "{'model':'gpt-4o','input':'hi','messages':[]}", "Unknown parameter: 'messages'.", "messages", "unknown_parameter", false },
        { "Chat_only_parameter_max_tokens_is_unknown", "{'model':'gpt-4o','input':'hi','max_tokens':50}", "Unknown parameter: 'max_tokens'.", "max_tokens", "unknown_parameter", false },
        { "Missing_model_is_missing_required_parameter", "{'input':'hi'}", "Missing required parameter: 'model'.", "model", "missing_required_parameter", false },
        { "Unknown_model_is_model_not_found", "{'model':'gpt-nope','input':'hi'}", "The requested model 'gpt-nope' does not exist.", "model", "model_not_found", false },
        { "Missing_input_without_previous_response_is_refused", "{'model':'gpt-4o'}", "Missing required parameter: 'input'.", "input", "missing_required_parameter", false },
        { "Input_of_wrong_type_is_invalid_type", "{'model':'gpt-4o','input':42}", "Invalid type for 'input': expected one of a string or array of objects, but got an integer instead.", "input", "invalid_type", false },
        { "Unknown_member_of_an_item_is_named_with_its_path", "{'model':'gpt-4o','input':[{'role':'user','content':'hi','tool_call_id':'x'}]}", "Unknown parameter: 'input[0].tool_call_id'.", "input[0].tool_call_id", "unknown_parameter", false },
        { "Reasoning_item_with_status_is_refused_as_the_live_api_does", "{'model':'gpt-4o','input':[{'type':'reasoning','id':'rs_1','summary':[],'status':'completed'},{'role':'user','content':'hi'}]}", "Unknown parameter: 'input[0].status'.", "input[0].status", "unknown_parameter", false },
        { "Unknown_item_type_is_invalid_value", "{'model':'gpt-4o','input':[{'type':'tool_result','call_id':'c'}]}", "Invalid value: 'tool_result'. Supported values are: ", "input[0].type", "invalid_value", true },
        { "Unknown_role_is_invalid_value", "{'model':'gpt-4o','input':[{'role':'tool','content':'hi'}]}", "Invalid value: 'tool'. Supported values are: 'user', 'assistant', 'system', and 'developer'.", "input[0].role", "invalid_value", false },
        { "Assistant_message_with_input_text_is_refused", "{'model':'gpt-4o','input':[{'role':'user','content':'hi'},{'role':'assistant','content':[{'type':'input_text','text':'yo'}]},{'role':'user','content':'again'}]}", "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.", "input[1].content[0]", "invalid_value", false },
        { "Chat_style_text_part_is_refused_with_every_part_type", "{'model':'gpt-4o','input':[{'role':'user','content':[{'type':'text','text':'hi'}]}]}", "Invalid value: 'text'. Supported values are: 'input_text', 'input_image', 'output_text', 'refusal', 'input_file', 'computer_screenshot', and 'summary_text'.", "input[0].content[0]", "invalid_value", false },
        { "Input_text_without_text_is_missing_required", "{'model':'gpt-4o','input':[{'role':'user','content':[{'type':'input_text'}]}]}", "Missing required parameter: 'input[0].content[0].text'.", "input[0].content[0].text", "missing_required_parameter", false },
        { "Function_call_without_arguments_is_missing_required", "{'model':'gpt-4o','input':[{'type':'function_call','call_id':'c1','name':'f'}]}", "Missing required parameter: 'input[0].arguments'.", "input[0].arguments", "missing_required_parameter", false },
        { "Function_call_output_without_its_call_is_refused", "{'model':'gpt-4o','input':[{'role':'user','content':'hi'},{'type':'function_call_output','call_id':'call_orphan','output':'42'}]}", "No tool call found for function call output with call_id call_orphan.", "input", null, false },
        { "Function_call_output_before_its_call_is_refused", "{'model':'gpt-4o','input':[{'type':'function_call_output','call_id':'c1','output':'42'},{'type':'function_call','call_id':'c1','name':'f','arguments':'{}'}]}", "No tool call found for function call output with call_id c1.", "input", null, false },
        { "Custom_tool_call_output_without_its_call_is_refused", "{'model':'gpt-4o','input':[{'type':'custom_tool_call_output','call_id':'ct_9','output':'done'}]}", "No tool call found for function call output with call_id ct_9.", "input", null, false },
        { "Function_call_output_with_an_output_text_part_is_refused", "{'model':'gpt-4o','input':[{'type':'function_call','call_id':'c1','name':'f','arguments':'{}'},{'type':'function_call_output','call_id':'c1','output':[{'type':'output_text','text':'42'}]}]}", "Invalid value: 'output_text'. Supported values are: 'input_text', 'input_image', and 'input_file'.", "input[1].output[0]", "invalid_value", false },
        { "Function_call_never_answered_is_refused", "{'model':'gpt-4o','input':[{'role':'user','content':'hi'},{'type':'function_call','call_id':'c7','name':'f','arguments':'{}'},{'role':'user','content':'and?'}]}", "No tool output found for function call c7.", "input", null, false },
        { "Chat_style_function_tool_misses_its_name", "{'model':'gpt-4o','input':'hi','tools':[{'type':'function','function':{'name':'f','parameters':{}}}]}", "Missing required parameter: 'tools[0].name'.", "tools[0].name", "missing_required_parameter", false },
        { "Function_tool_without_parameters_is_refused", "{'model':'gpt-4o','input':'hi','tools':[{'type':'function','name':'f'}]}", "Missing required parameter: 'tools[0].parameters'.", "tools[0].parameters", "missing_required_parameter", false },
        { "Function_tool_parameters_must_be_an_object", "{'model':'gpt-4o','input':'hi','tools':[{'type':'function','name':'f','parameters':'{}'}]}", "Invalid type for 'tools[0].parameters': expected an object, but got a string instead.", "tools[0].parameters", "invalid_type", false },
        { "Unknown_member_of_a_function_tool_is_refused", "{'model':'gpt-4o','input':'hi','tools':[{'type':'function','name':'f','parameters':{},'function':{}}]}", "Unknown parameter: 'tools[0].function'.", "tools[0].function", "unknown_parameter", false },
        { "Unknown_tool_type_is_invalid_value", "{'model':'gpt-4o','input':'hi','tools':[{'type':'browser'}]}", "Invalid value: 'browser'. Supported values are: ", "tools[0].type", "invalid_value", true },
        { "Custom_tool_needs_a_name", "{'model':'gpt-4o','input':'hi','tools':[{'type':'custom'}]}", "Missing required parameter: 'tools[0].name'.", "tools[0].name", "missing_required_parameter", false },
        { "Tool_choice_naming_an_undeclared_function_is_refused", "{'model':'gpt-4o','input':'hi','tools':[" + Fn + "],'tool_choice':{'type':'function','name':'other'}}", "Tool choice 'function' with name 'other' not found in 'tools' parameter.", "tool_choice", "invalid_value", false },
        { "Text_format_of_unknown_type_is_invalid_value", "{'model':'gpt-4o','input':'hi','text':{'format':{'type':'yaml'}}}", "Invalid value: 'yaml'. Supported values are: 'text', 'json_schema', and 'json_object'.", "text.format.type", "invalid_value", false },
        { "Chat_style_nested_json_schema_misses_its_name", "{'model':'gpt-4o','input':'hi','text':{'format':{'type':'json_schema','json_schema':{'name':'x','schema':{}}}}}", "Missing required parameter: 'text.format.name'.", "text.format.name", "missing_required_parameter", false },
        { "Json_object_format_needs_the_word_json_in_the_input", "{'model':'gpt-4o','input':'hi','text':{'format':{'type':'json_object'}}}", "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", "input", null, false },
        { "Max_output_tokens_below_16_is_refused", "{'model':'gpt-4o','input':'hi','max_output_tokens':10}", "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 10 instead.", "max_output_tokens", "integer_below_min_value", false },
        { "Temperature_above_2_is_refused", "{'model':'gpt-4o','input':'hi','temperature':2.5}", "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.", "temperature", "decimal_above_max_value", false },
        { "Reasoning_effort_outside_the_enum_is_refused", "{'model':'gpt-4o','input':'hi','reasoning':{'effort':'extreme'}}", "Invalid value: 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', and 'xhigh'.", "reasoning.effort", "invalid_value", false },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_as_the_api_does(string refusal, string relaxedBody, string message, string? param, string? code, bool prefix)
    {
        using var response = await _mock.PostAsync(Path, J(relaxedBody));
        var error = await Wire.AssertErrorAsync(response, 400, message, param, code, prefix);
        Assert.True(error.GetProperty("type").GetString() == "invalid_request_error", refusal);
    }

    [Fact]
    public async Task Output_answering_a_stored_call_is_accepted_with_previous_response_id()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','previous_response_id':'resp_abc','input':[{'type':'function_call_output','call_id':'c1','output':'sunny'}]}"));
        Assert.Equal("resp_abc", r.GetProperty("previous_response_id").GetString());
    }

    [Fact]
    public async Task Custom_and_hosted_tools_are_accepted()
    {
        var r = await _mock.PostJsonAsync(Path, J("{'model':'gpt-4o','input':'hi','tools':[{'type':'custom','name':'apply_patch','format':{'type':'grammar','syntax':'lark','definition':'start: /.+/'}},{'type':'web_search'}]}"));
        Assert.Equal("completed", r.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Missing_key_is_401_as_on_chat()
    {
        using var response = await _mock.PostAsync(Path, J("{'model':'gpt-4o','input':'hi'}"), key: null);
        await Wire.AssertErrorAsync(response, 401, "You didn't provide an API key.", null, null, prefix: true);
    }

    [SpecFact]
    public void Responses_parameter_list_matches_the_spec()
    {
        var lines = File.ReadAllLines(SpecConformanceTests.SpecPath()!);
        var fromSpec = SpecConformanceTests.Properties(lines, "CreateResponse").ToHashSet(StringComparer.Ordinal);
        Assert.True(fromSpec.Count > 20, "spec parsing found too few properties");
        Assert.Equal(fromSpec.Order(StringComparer.Ordinal), Responses.ResponsesValidator.KnownParameters.Order(StringComparer.Ordinal));
    }

    [SpecFact]
    public void Item_members_match_the_spec_item_schemas()
    {
        var lines = File.ReadAllLines(SpecConformanceTests.SpecPath()!);
        // reasoning drops `status` on purpose (the live API refuses it in input); message merges three schemas.
        foreach (var (type, schema) in new[]
        {
            ("function_call", "FunctionToolCall"), ("function_call_output", "FunctionCallOutputItemParam"),
            ("custom_tool_call", "CustomToolCall"), ("custom_tool_call_output", "CustomToolCallOutput"),
            ("web_search_call", "WebSearchToolCall"), ("shell_call", "FunctionShellCallItemParam"),
            ("apply_patch_call", "ApplyPatchToolCallItemParam"), ("local_shell_call", "LocalShellToolCall"),
        })
        {
            var fromSpec = SpecConformanceTests.Properties(lines, schema).Order(StringComparer.Ordinal);
            Assert.Equal(fromSpec, Responses.InputValidator.ItemMembers[type].Order(StringComparer.Ordinal));
        }
    }
}
