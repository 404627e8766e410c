namespace Switchboard.MockUpstream.Tests;

public sealed class GeminiStrictnessTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Flash = "gemini-2.5-flash";
    private const string Hi = "'contents':[{'role':'user','parts':[{'text':'hi'}]}]";
    private const string Call = "{'role':'model','parts':[{'functionCall':{'name':'get_weather','args':{'city':'Paris'}},'thoughtSignature':'c2ln'}]}";
    private const string Reply = "{'role':'user','parts':[{'functionResponse':{'name':'get_weather','response':{'temp':21}}}]}";
    private const string Tools = "'tools':[{'functionDeclarations':[{'name':'get_weather','parameters':{'type':'OBJECT','properties':{'city':{'type':'STRING'}},'required':['city']}}]}]";
    private readonly MockHost _mock = fixture.Host;

    [Fact]
    public async Task Missing_key_is_403_permission_denied()
    {
        using var response = await _mock.Client.SendAsync(ProviderRequests.GeminiRequest($"/v1beta/models/{Flash}:generateContent", J("{" + Hi + "}"), key: null));
        await ProviderWire.AssertGoogleErrorAsync(response, 403, "PERMISSION_DENIED",
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }

    [Fact]
    public async Task Wrong_key_is_400_api_key_invalid_with_error_info()
    {
        using var response = await _mock.Client.SendAsync(ProviderRequests.GeminiRequest($"/v1beta/models/{Flash}:generateContent", J("{" + Hi + "}"), key: "AIza-wrong"));
        var error = await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        var info = error.GetProperty("details")[0];
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", info.GetProperty("@type").GetString());
        Assert.Equal("API_KEY_INVALID", info.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Key_in_the_query_string_is_accepted()
    {
        using var response = await _mock.Client.SendAsync(ProviderRequests.GeminiRequest($"/v1beta/models/{Flash}:generateContent?key={Key}", J("{" + Hi + "}"), key: null));
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Unknown_model_is_404_not_found()
    {
        using (var response = await _mock.GeminiAsync("gemini-1.0-pro", J("{" + Hi + "}")))
        {
            await ProviderWire.AssertGoogleErrorAsync(response, 404, "NOT_FOUND",
                "models/gemini-1.0-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.");
        }
        using (var response = await _mock.GeminiAsync("gemini-1.0-pro", J("{" + Hi + "}"), "streamGenerateContent", "?alt=sse"))
        {
            await ProviderWire.AssertGoogleErrorAsync(response, 404, "NOT_FOUND", "models/gemini-1.0-pro is not found for API version v1beta, or is not supported for streamGenerateContent.", prefix: true);
        }
    }

    [Fact]
    public async Task Unknown_fields_are_all_listed_with_bad_request_details()
    {
        using var response = await _mock.GeminiAsync(Flash, J("{" + Hi + ",'temperature':0.5,'generationConfig':{'max_tokens':5,'temperature':'hot'}}"));
        var error = await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT",
            "Invalid JSON payload received. Unknown name \"temperature\": Cannot find field.\n" +
            "Invalid JSON payload received. Unknown name \"max_tokens\" at 'generation_config': Cannot find field.\n" +
            "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \"hot\"");
        var detail = error.GetProperty("details")[0];
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", detail.GetProperty("@type").GetString());
        var violations = detail.GetProperty("fieldViolations").EnumerateArray().ToList();
        Assert.Equal(3, violations.Count);
        Assert.False(violations[0].TryGetProperty("field", out _));
        Assert.Equal("generation_config", violations[1].GetProperty("field").GetString());
        Assert.Equal("generation_config.temperature", violations[2].GetProperty("field").GetString());
    }

    public static TheoryData<string, string> ParseErrors() => new()
    {
        { "{'contents':[{'role':'user','parts':[{'text':'hi','foo':1}]}]}", "Invalid JSON payload received. Unknown name \"foo\" at 'contents[0].parts[0]': Cannot find field." },
        { "{" + Hi + ",'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'object','additionalProperties':false}}]}]}",
            "Invalid JSON payload received. Unknown name \"additionalProperties\" at 'tools[0].function_declarations[0].parameters': Cannot find field." },
        { "{" + Hi + ",'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'object','properties':{'a':{'type':'string'},'b':{'const':'x'}}}}]}]}",
            "Invalid JSON payload received. Unknown name \"const\" at 'tools[0].function_declarations[0].parameters.properties[1].value': Cannot find field." },
        { "{" + Hi + ",'tools':[{'function_declarations':[{'name':'f','strict':true}]}]}",
            "Invalid JSON payload received. Unknown name \"strict\" at 'tools[0].function_declarations[0]': Cannot find field." },
        { "{" + Hi + ",'toolConfig':{'functionCallingConfig':{'mode':'REQUIRED'}}}",
            "Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), \"REQUIRED\"" },
        { "{" + Hi + ",'generationConfig':{'thinkingConfig':{'thinkingBudget':1.5}}}", "Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32), 1.5" },
        { "{" + Hi + ",'generationConfig':{'thinking_config':{'include_thoughts':'yes'}}}", "Invalid value at 'generation_config.thinking_config.include_thoughts' (TYPE_BOOL), \"yes\"" },
        { "{" + Hi + ",'generationConfig':{'stopSequences':'END'}}", "Invalid value at 'generation_config.stop_sequences' (TYPE_STRING), \"END\"" },
        { "{" + Hi + ",'generationConfig':[1]}", "Invalid JSON payload received. Unknown name \"generationConfig\": Proto field is not repeating, cannot start list." },
        { "{'contents':[{'role':'user','parts':[{'inlineData':{'mimeType':'image/png','data':'not base64!'}}]}]}",
            "Invalid value at 'contents[0].parts[0].inline_data.data' (TYPE_BYTES), Base64 decoding failed for \"not base64!\"" },
        { "{'contents':[{'role':'user','parts':[{'functionCall':{'name':'f','args':'x'}}]}]}",
            "Invalid value at 'contents[0].parts[0].function_call.args' (type.googleapis.com/google.protobuf.Struct), \"x\"" },
        { "{" + Hi + ",'safetySettings':[{'category':'HARM_CATEGORY_ALL','threshold':'BLOCK_NONE'}]}",
            "Invalid value at 'safety_settings[0].category' (type.googleapis.com/google.ai.generativelanguage.v1beta.HarmCategory), \"HARM_CATEGORY_ALL\"" },
    };

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public async Task Transcoding_errors_are_the_apis(string body, string message)
    {
        using var response = await _mock.GeminiAsync(Flash, J(body));
        var error = await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT", message);
        Assert.Equal(message, error.GetProperty("details")[0].GetProperty("fieldViolations")[0].GetProperty("description").GetString());
    }

    public static TheoryData<string, string> InvalidBodies() => new()
    {
        { "{}", "* GenerateContentRequest.contents: contents is not specified\n" },
        { "{'contents':[]}", "* GenerateContentRequest.contents: contents is not specified\n" },
        { "{'contents':[{'role':'user','parts':[]}]}", "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n" },
        { "{'contents':[{'role':'user','parts':[{}]}]}", "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field\n" },
        { "{'contents':[{'role':'user','parts':[{'thought':true}]}]}", "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field\n" },
        { "{'systemInstruction':{'parts':[{}]}," + Hi + "}", "* GenerateContentRequest.system_instruction.parts[0].data: required oneof field 'data' must have one initialized field\n" },
        { "{'contents':[{'role':'system','parts':[{'text':'be nice'}]}]}", "Please use a valid role: user, model." },
        { "{'contents':[{'role':'user','parts':[{'text':'hi'}]},{'role':'assistant','parts':[{'text':'yo'}]}]}", "Please use a valid role: user, model." },
        { "{'contents':[{'role':'user','parts':[{'text':'hi','functionCall':{'name':'f'}}]}]}", "Invalid JSON payload received. Oneof field 'data' is already set. Cannot set 'functionCall'" },
        { "{'contents':[{'role':'user','parts':[{'text':'hi'}]}," + Call + ",{'role':'user','parts':[{'functionResponse':{'response':{'temp':21}}}]}]," + Tools + "}",
            "* GenerateContentRequest.contents[2].parts[0].function_response.name: Name cannot be empty.\n" },
        { "{'contents':[{'role':'user','parts':[{'text':'hi'}]}," + Call + ",{'role':'user','parts':[{'functionResponse':{'name':'get_weather'}}]}]," + Tools + "}",
            "* GenerateContentRequest.contents[2].parts[0].function_response.response: Response cannot be empty.\n" },
        { "{'contents':[{'role':'user','parts':[{'text':'hi'}]},{'role':'model','parts':[{'functionCall':{'args':{}}}]}]}", "* GenerateContentRequest.contents[1].parts[0].function_call.name: Name cannot be empty.\n" },
        { "{'contents':[{'role':'user','parts':[{'text':'hi'}]}," + Call + ",{'role':'user','parts':[{'text':'no answer'}]}]," + Tools + "}",
            "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn." },
        { "{'contents':[{'role':'user','parts':[{'text':'hi'}]}," + Call + "," + Reply + "," + Reply + "]," + Tools + "}",
            "Please ensure that function response turn comes immediately after a function call turn." },
        { "{'contents':[{'role':'user','parts':[{'text':'hi'}]},{'role':'model','parts':[{'text':'let me see'}]}," + Call + "," + Reply + "]," + Tools + "}",
            "Please ensure that function call turn comes immediately after a user turn or after a function response turn." },
        { "{" + Hi + ",'tools':[{'functionDeclarations':[{'name':'get weather!'}]}]}",
            "* GenerateContentRequest.tools[0].function_declarations[0].name: Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.\n" },
        { "{" + Hi + ",'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'object'},'parametersJsonSchema':{'type':'object'}}]}]}",
            "* GenerateContentRequest.tools[0].function_declarations[0].parameters_json_schema: `parameters` and `parameters_json_schema` cannot both be set.\n" },
        { "{" + Hi + ",'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'object','properties':{'a':{'type':'string'}},'required':['b']}}]}]}",
            "* GenerateContentRequest.tools[0].function_declarations[0].parameters.required[0]: property is not defined\n" },
        { "{" + Hi + ",'toolConfig':{'functionCallingConfig':{'mode':'ANY'}}}", "Function calling config is set without function_declarations." },
        { "{" + Hi + "," + Tools + ",'toolConfig':{'functionCallingConfig':{'mode':'ANY','allowedFunctionNames':['get_time']}}}",
            "* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: function 'get_time' is not found in the function declarations.\n" },
        { "{" + Hi + ",'generationConfig':{'temperature':2.5}}", "* GenerateContentRequest.generation_config.temperature: temperature must be in the range [0, 2], got 2.5.\n" },
        { "{" + Hi + ",'generationConfig':{'topP':1.5}}", "* GenerateContentRequest.generation_config.top_p: top_p must be in the range [0, 1], got 1.5.\n" },
        { "{" + Hi + ",'generationConfig':{'candidateCount':9}}", "* GenerateContentRequest.generation_config.candidate_count: candidate_count must be in the range [1, 8], got 9.\n" },
        { "{" + Hi + ",'generationConfig':{'maxOutputTokens':0}}", "* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be >= 1, got 0.\n" },
        { "{" + Hi + ",'generationConfig':{'stopSequences':['a','b','c','d','e','f']}}", "* GenerateContentRequest.generation_config.stop_sequences: the number of stop_sequences must be at most 5, got 6.\n" },
        { "{" + Hi + ",'generationConfig':{'logprobs':3}}", "* GenerateContentRequest.generation_config.logprobs: logprobs can only be set when response_logprobs is true.\n" },
        { "{" + Hi + ",'generationConfig':{'responseMimeType':'text/html'}}",
            "* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are `text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.\n" },
        { "{" + Hi + ",'generationConfig':{'responseSchema':{'type':'STRING'}}}",
            "* GenerateContentRequest.generation_config.response_schema: response_mime_type must be `application/json` or `text/x.enum` when a response schema is set.\n" },
        { "{" + Hi + ",'generationConfig':{'responseMimeType':'application/json','responseSchema':{'type':'STRING'},'responseJsonSchema':{'type':'string'}}}",
            "* GenerateContentRequest.generation_config.response_json_schema: `response_schema` and `response_json_schema` cannot both be set.\n" },
        { "{" + Hi + "," + Tools + ",'generationConfig':{'responseMimeType':'application/json'}}", "Tool use with a response mime type: 'application/json' is unsupported" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_requests_are_rejected_like_the_api(string body, string message)
    {
        using var response = await _mock.GeminiAsync("gemini-2.5-flash-lite", J(body));
        await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT", message);
    }

    [Fact]
    public async Task Pro_cannot_turn_thinking_off()
    {
        using var response = await _mock.GeminiAsync("gemini-2.5-pro", J("{" + Hi + ",'generationConfig':{'thinkingConfig':{'thinkingBudget':0}}}"));
        await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT", "Budget 0 is invalid. This model only works in thinking mode.");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    public async Task Unparsable_body_is_invalid_json_payload(string body)
    {
        using var response = await _mock.GeminiAsync(Flash, body);
        await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.", prefix: true);
    }

    public static TheoryData<string> AcceptedBodies() => new()
    {
        "{'contents':[{'parts':[{'text':'no role is fine for one turn'}]}]}",
        "{'contents':[{'role':'user','parts':[{'text':'hi'},{'inlineData':{'mimeType':'image/png','data':'iVBORw0KGgo='}},{'fileData':{'mimeType':'application/pdf','fileUri':'https://generativelanguage.googleapis.com/v1beta/files/abc'}}]}]}",
        "{'contents':[{'role':'user','parts':[{'inline_data':{'mime_type':'image/png','data':'iVBORw0KGgo'}}]}],'system_instruction':{'parts':[{'text':'be brief'}]},'generation_config':{'max_output_tokens':50}}",
        "{'systemInstruction':{'role':'system','parts':[{'text':'be brief'}]}," + Hi + ",'safetySettings':[{'category':'HARM_CATEGORY_HARASSMENT','threshold':'BLOCK_NONE'}],'cachedContent':'cachedContents/abc'}",
        "{" + Hi + ",'generationConfig':{'temperature':2,'topP':0.9,'topK':40,'seed':7,'presencePenalty':0.5,'frequencyPenalty':-0.5,'responseLogprobs':true,'logprobs':3,'candidateCount':2,'stopSequences':['x'],'responseModalities':['TEXT'],'thinkingConfig':{'thinkingBudget':-1,'includeThoughts':false}}}",
        "{" + Hi + ",'tools':[{'functionDeclarations':[{'name':'f','parametersJsonSchema':{'type':'object','properties':{'a':{'type':'string','const':'x'}},'additionalProperties':false}}]},{'googleSearch':{}}],'toolConfig':{'functionCallingConfig':{'mode':'ANY','allowedFunctionNames':['f']}}}",
        "{" + Hi + ",'generationConfig':{'responseMimeType':'application/json','responseJsonSchema':{'type':'object','properties':{'a':{'type':'integer'}},'required':['a'],'additionalProperties':false}}}",
        "{'contents':[{'role':'user','parts':[{'text':'hi'}]},{'role':'model','parts':[{'text':'thinking...','thought':true},{'functionCall':{'name':'get_weather','args':{'city':'Paris'}},'thoughtSignature':'c2ln'}]}," + Reply + "]," + Tools + "}",
    };

    [Theory]
    [MemberData(nameof(AcceptedBodies))]
    public async Task Valid_requests_are_accepted(string body)
    {
        var response = await _mock.GeminiJsonAsync("gemini-3-pro-preview", J(body));
        Assert.Equal(JsonValueKind.Array, response.GetProperty("candidates").ValueKind);
    }
}
