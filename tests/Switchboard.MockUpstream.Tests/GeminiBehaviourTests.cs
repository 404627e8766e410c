namespace Switchboard.MockUpstream.Tests;

public sealed class GeminiBehaviourTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Lite = "gemini-2.5-flash-lite";
    private const string Tools = "'tools':[{'functionDeclarations':[{'name':'get_weather','parameters':{'type':'OBJECT','properties':{'city':{'type':'STRING'},'days':{'type':'INTEGER'}},'required':['city','days']}},{'name':'get_time','parametersJsonSchema':{'type':'object','properties':{'zone':{'type':'string','enum':['UTC']}},'required':['zone']}}]}]";
    private readonly MockHost _mock = fixture.Host;

    private static string Contents(string text) => "'contents':[{'role':'user','parts':[{'text':'" + text + "'}]}]";

    [Fact]
    public async Task Plain_request_echoes_with_the_response_shape()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{'systemInstruction':{'parts':[{'text':'be brief'}]},'contents':[{'role':'user','parts':[{'text':'first'}]},{'role':'model','parts':[{'text':'ok'}]},{'role':'user','parts':[{'text':'hello big world'}]}]}"));
        var candidate = r.GetProperty("candidates")[0];
        Assert.Equal("model", candidate.GetProperty("content").GetProperty("role").GetString());
        Assert.Equal("Echo: hello big world", ProviderWire.Parts(r)[0].GetProperty("text").GetString());
        Assert.Equal("STOP", candidate.GetProperty("finishReason").GetString());
        Assert.Equal(0, candidate.GetProperty("index").GetInt32());
        var usage = r.GetProperty("usageMetadata");
        int prompt = usage.GetProperty("promptTokenCount").GetInt32();
        Assert.Equal(4, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(prompt + 4, usage.GetProperty("totalTokenCount").GetInt32());
        Assert.False(usage.TryGetProperty("thoughtsTokenCount", out _));
        Assert.Equal("TEXT", usage.GetProperty("promptTokensDetails")[0].GetProperty("modality").GetString());
        Assert.Equal(prompt, usage.GetProperty("promptTokensDetails")[0].GetProperty("tokenCount").GetInt32());
        Assert.Equal(Lite, r.GetProperty("modelVersion").GetString());
        Assert.False(string.IsNullOrEmpty(r.GetProperty("responseId").GetString()));
    }

    [Fact]
    public async Task Images_count_as_image_tokens()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{'contents':[{'role':'user','parts':[{'text':'what?'},{'inlineData':{'mimeType':'image/png','data':'iVBORw0KGgo='}}]}]}"));
        var details = r.GetProperty("usageMetadata").GetProperty("promptTokensDetails");
        Assert.Equal("IMAGE", details[1].GetProperty("modality").GetString());
        Assert.Equal(258, details[1].GetProperty("tokenCount").GetInt32());
    }

    [Fact]
    public async Task Functions_are_called_with_args_from_the_schema()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("weather?") + "," + Tools + "}"));
        var call = ProviderWire.Parts(r)[0].GetProperty("functionCall");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"sample\",\"days\":1}", call.GetProperty("args").GetRawText());
        Assert.False(ProviderWire.Parts(r)[0].TryGetProperty("thoughtSignature", out _)); // flash-lite does not think by default
        Assert.Equal("STOP", r.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Allowed_function_names_pick_the_call_and_mode_none_answers_in_text()
    {
        var any = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("time?") + "," + Tools + ",'toolConfig':{'functionCallingConfig':{'mode':'ANY','allowedFunctionNames':['get_time']}}}"));
        Assert.Equal("get_time", ProviderWire.Parts(any)[0].GetProperty("functionCall").GetProperty("name").GetString());
        Assert.Equal("{\"zone\":\"UTC\"}", ProviderWire.Parts(any)[0].GetProperty("functionCall").GetProperty("args").GetRawText());

        var none = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("time?") + "," + Tools + ",'toolConfig':{'functionCallingConfig':{'mode':'NONE'}}}"));
        Assert.Equal("Echo: time?", ProviderWire.Parts(none)[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Function_response_is_acknowledged_as_json()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{'contents':[{'role':'user','parts':[{'text':'weather?'}]},{'role':'model','parts':[{'functionCall':{'name':'get_weather','args':{'city':'Paris','days':1}}}]}," +
            "{'role':'user','parts':[{'functionResponse':{'name':'get_weather','response':{ 'temp' : 21, 'sky':'clear' }}}]}]," + Tools + "}"));
        Assert.Equal("The tool returned: {\"temp\":21,\"sky\":\"clear\"}", ProviderWire.Parts(r)[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Include_thoughts_puts_a_thought_part_first_and_counts_thought_tokens()
    {
        var r = await _mock.GeminiJsonAsync("gemini-2.5-flash", J("{" + Contents("why?") + ",'generationConfig':{'thinkingConfig':{'includeThoughts':true}}}"));
        var parts = ProviderWire.Parts(r);
        Assert.Equal("Thinking about: why?", parts[0].GetProperty("text").GetString());
        Assert.True(parts[0].GetProperty("thought").GetBoolean());
        Assert.Equal("Echo: why?", parts[1].GetProperty("text").GetString());
        var usage = r.GetProperty("usageMetadata");
        Assert.Equal(3, usage.GetProperty("thoughtsTokenCount").GetInt32());
        Assert.Equal(usage.GetProperty("promptTokenCount").GetInt32() + 2 + 3, usage.GetProperty("totalTokenCount").GetInt32());
    }

    [Fact]
    public async Task Flash_thinks_by_default_but_not_with_budget_zero()
    {
        var thinking = await _mock.GeminiJsonAsync("gemini-2.5-flash", J("{" + Contents("hi") + "}"));
        Assert.Equal(3, thinking.GetProperty("usageMetadata").GetProperty("thoughtsTokenCount").GetInt32());
        Assert.Single(ProviderWire.Parts(thinking).EnumerateArray()); // thoughts are not returned unless asked for
        var off = await _mock.GeminiJsonAsync("gemini-2.5-flash", J("{" + Contents("hi") + ",'generationConfig':{'thinkingConfig':{'thinkingBudget':0}}}"));
        Assert.False(off.GetProperty("usageMetadata").TryGetProperty("thoughtsTokenCount", out _));
    }

    [Fact]
    public async Task Max_output_tokens_cuts_with_max_tokens()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("one two three four") + ",'generationConfig':{'maxOutputTokens':2}}"));
        Assert.Equal("Echo: one", ProviderWire.Parts(r)[0].GetProperty("text").GetString());
        Assert.Equal("MAX_TOKENS", r.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Stop_sequences_end_the_text()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("one two three") + ",'generationConfig':{'stopSequences':['two']}}"));
        Assert.Equal("Echo: one ", ProviderWire.Parts(r)[0].GetProperty("text").GetString());
        Assert.Equal("STOP", r.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Json_mode_with_a_schema_answers_json_from_the_schema()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("count") + ",'generationConfig':{'responseMimeType':'application/json','responseSchema':{'type':'OBJECT','properties':{'n':{'type':'INTEGER'},'tags':{'type':'ARRAY','items':{'type':'STRING'}}},'required':['n','tags']}}}"));
        Assert.Equal("{\"n\":1,\"tags\":[]}", ProviderWire.Parts(r)[0].GetProperty("text").GetString());
        var plain = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("count") + ",'generationConfig':{'responseMimeType':'application/json'}}"));
        Assert.Equal("{\"echo\":\"count\"}", ProviderWire.Parts(plain)[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Candidate_count_returns_several_candidates()
    {
        var r = await _mock.GeminiJsonAsync(Lite, J("{" + Contents("hi") + ",'generationConfig':{'candidateCount':3}}"));
        Assert.Equal([0, 1, 2], r.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(6, r.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32());
    }

    /// <summary>Turn 1 on a thinking model with tools: a function call with a thought signature.</summary>
    private async Task<JsonElement> SignedCallAsync(string model)
    {
        var r = await _mock.GeminiJsonAsync(model, J("{" + Contents("weather?") + "," + Tools + "}"));
        var part = ProviderWire.Parts(r)[0];
        Assert.Equal("get_weather", part.GetProperty("functionCall").GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(part.GetProperty("thoughtSignature").GetString()));
        return r.GetProperty("candidates")[0].GetProperty("content");
    }

    private static string SecondTurn(string modelContent) =>
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"weather?\"}]}," + modelContent +
        ",{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"temp\":21}}}]}]," + J(Tools) + "}";

    [Theory]
    [InlineData("gemini-3-pro-preview")]
    [InlineData("gemini-2.5-flash")]
    public async Task Kept_thought_signature_is_accepted(string model)
    {
        var content = await SignedCallAsync(model);
        var r = await _mock.GeminiJsonAsync(model, SecondTurn(content.GetRawText()));
        Assert.Equal("The tool returned: {\"temp\":21}", ProviderWire.Parts(r)[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("gemini-3-pro-preview")]
    [InlineData("gemini-2.5-pro")]
    public async Task Dropped_thought_signature_is_the_apis_400(string model)
    {
        var content = await SignedCallAsync(model);
        string dropped = "{\"role\":\"model\",\"parts\":[{\"functionCall\":" + content.GetProperty("parts")[0].GetProperty("functionCall").GetRawText() + "}]}";
        using var response = await _mock.GeminiAsync(model, SecondTurn(dropped));
        await ProviderWire.AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT",
            "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature " +
            "may lead to degraded model performance. Additional data, function call `default_api:get_weather` , position 2. Please refer to " +
            "https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
    }

    [Fact]
    public async Task Signatures_are_not_required_without_thinking_or_outside_the_current_turn()
    {
        string unsigned = "{'role':'model','parts':[{'functionCall':{'name':'get_weather','args':{'city':'Paris','days':1}}}]}";
        string reply = "{'role':'user','parts':[{'functionResponse':{'name':'get_weather','response':{'temp':21}}}]}";
        // Flash with thinking off: no signatures exist, none are required.
        await _mock.GeminiJsonAsync("gemini-2.5-flash", J("{'contents':[{'role':'user','parts':[{'text':'weather?'}]}," + unsigned + "," + reply + "]," + Tools + ",'generationConfig':{'thinkingConfig':{'thinkingBudget':0}}}"));
        // A finished earlier turn (a new user prompt followed) is not checked.
        await _mock.GeminiJsonAsync("gemini-3-pro-preview", J("{'contents':[{'role':'user','parts':[{'text':'weather?'}]}," + unsigned + "," + reply +
            ",{'role':'model','parts':[{'text':'21C'}]},{'role':'user','parts':[{'text':'thanks'}]}]," + Tools + "}"));
    }

    [Fact]
    public async Task Gemini_requests_share_the_request_log_and_stats()
    {
        await using var mock = await MockHost.StartAsync();
        using (var response = await mock.GeminiAsync(Lite, J("{" + Contents("hi") + "}"), "streamGenerateContent", "?alt=sse"))
        {
            await response.Content.ReadAsStringAsync();
        }
        var entry = (await mock.GetJsonAsync("/_mock/requests"))[0];
        Assert.Equal($"/v1beta/models/{Lite}:streamGenerateContent", entry.GetProperty("path").GetString());
        Assert.Equal("alt=sse", entry.GetProperty("query").GetString());
        Assert.Equal(Key, entry.GetProperty("headers").GetProperty("x-goog-api-key").GetString());
        var stats = await mock.WaitForStatAsync("streams_completed", 1);
        Assert.Equal(1, stats.GetProperty("streams_started").GetInt64());
        Assert.Equal(1, stats.GetProperty("streams_completed").GetInt64());
    }
}
