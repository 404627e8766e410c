namespace Switchboard.Core.Tests.Providers.OpenAI.Requests;

/// <summary>Every malformed request shape yields the parameter path and message a 400 needs.</summary>
public sealed class RequestValidationTests
{
    private const string User = """{"role":"user","content":"hi"}""";

    private static ValidationError ErrorOf(string json)
    {
        var result = OpenAIChatRequestReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess, "expected the request to be refused");
        return result.Error!;
    }

    private static string WithMessages(string messages, string extra = "") =>
        $$"""{"model":"m","messages":[{{messages}}]{{extra}}}""";

    [Theory]
    // Body
    [InlineData("", null, "request body is empty")]
    [InlineData("[]", null, "request body must be a JSON object")]
    [InlineData("""{"model":"m",""", null, "request body is not valid JSON")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]} {}""", null, "request body is not valid JSON")]
    // model, messages
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "is required")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "model", "must be a non-empty string")]
    [InlineData("""{"model":5,"messages":[{"role":"user","content":"hi"}]}""", "model", "must be a string")]
    [InlineData("""{"model":"m"}""", "messages", "is required")]
    [InlineData("""{"model":"m","messages":[]}""", "messages", "must be a non-empty array")]
    [InlineData("""{"model":"m","messages":{}}""", "messages", "must be a non-empty array")]
    [InlineData("""{"model":"m","messages":["hi"]}""", "messages[0]", "must be an object")]
    public void Body_model_and_messages(string json, string? param, string message) => AssertError(json, param, message);

    [Theory]
    [InlineData(User + """,{"role":"assistant","content":"a"},{"role":"robot","content":"x"}""", "messages[2].role", "'robot' is not a valid role")]
    [InlineData("""{"content":"x"}""", "messages[0].role", "is required")]
    [InlineData("""{"role":7,"content":"x"}""", "messages[0].role", "must be a string")]
    [InlineData("""{"role":"user"}""", "messages[0].content", "is required")]
    [InlineData("""{"role":"user","content":null}""", "messages[0].content", "is required")]
    [InlineData("""{"role":"system","content":42}""", "messages[0].content", "must be a string or an array of content parts")]
    [InlineData("""{"role":"user","content":[]}""", "messages[0].content", "must not be an empty array")]
    [InlineData("""{"role":"user","content":["hi"]}""", "messages[0].content[0]", "must be an object")]
    [InlineData("""{"role":"user","content":[{"text":"hi"}]}""", "messages[0].content[0].type", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"video","video":{}}]}""", "messages[0].content[0].type", "'video' is not a valid content part type")]
    [InlineData("""{"role":"user","content":[{"type":"text"}]}""", "messages[0].content[0].text", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"text","text":1}]}""", "messages[0].content[0].text", "must be a string")]
    [InlineData("""{"role":"user","content":[{"type":"image_url","image_url":{"detail":"low"}}]}""", "messages[0].content[0].image_url.url", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"image_url"}]}""", "messages[0].content[0].image_url", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA"}}]}""", "messages[0].content[0].input_audio.format", "is required")]
    [InlineData("""{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf"}}]}""", "messages[0].content[0].file", "must have file_id or file_data")]
    [InlineData("""{"role":"user","content":[{"type":"refusal","refusal":"no"}]}""", "messages[0].content[0].type", "'refusal' is not allowed in user messages")]
    [InlineData("""{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x"}}]}""", "messages[0].content[0].type", "'image_url' is not allowed in system messages")]
    [InlineData(User + """,{"role":"assistant","content":[{"type":"image_url","image_url":{"url":"https://x"}}]}""", "messages[1].content[0].type", "'image_url' is not allowed in assistant messages")]
    public void Messages_and_content(string messages, string param, string message) => AssertError(WithMessages(messages), param, message);

    [Theory]
    [InlineData("""{"role":"user","content":"x","tool_calls":[]}""", "messages[0].tool_calls", "is only allowed in assistant messages")]
    [InlineData("""{"role":"user","content":"x","tool_call_id":"a"}""", "messages[0].tool_call_id", "is only allowed in tool messages")]
    [InlineData("""{"role":"tool","content":"x"}""", "messages[0].tool_call_id", "is required")]
    [InlineData("""{"role":"tool","tool_call_id":"a"}""", "messages[0].content", "is required")]
    [InlineData("""{"role":"function","content":"5"}""", "messages[0].name", "is required")]
    [InlineData("""{"role":"assistant","tool_calls":{}}""", "messages[0].tool_calls", "must be an array")]
    [InlineData("""{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}""", "messages[0].tool_calls[0].id", "is required")]
    [InlineData("""{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"arguments":"{}"}}]}""", "messages[0].tool_calls[0].function.name", "is required")]
    [InlineData("""{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f"}}]}""", "messages[0].tool_calls[0].function.arguments", "is required")]
    [InlineData("""{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":1}}]}""", "messages[0].tool_calls[0].function.arguments", "must be a string")]
    [InlineData("""{"role":"assistant","tool_calls":[{"id":"a","type":"magic"}]}""", "messages[0].tool_calls[0].type", "'magic' is not a valid tool call type")]
    [InlineData("""{"role":"assistant","function_call":{"arguments":"{}"}}""", "messages[0].function_call.name", "is required")]
    [InlineData("""{"role":"assistant","thinking_blocks":[{"type":"dreaming"}]}""", "messages[0].thinking_blocks[0].type", "'dreaming' is not a valid thinking block type")]
    public void Tool_calls_and_results(string messages, string param, string message) => AssertError(WithMessages(messages), param, message);

    [Theory]
    [InlineData(""","temperature":3""", "temperature", "must be between 0 and 2, got 3")]
    [InlineData(""","temperature":"hot" """, "temperature", "must be a number")]
    [InlineData(""","top_p":1.5""", "top_p", "must be between 0 and 1, got 1.5")]
    [InlineData(""","frequency_penalty":-3""", "frequency_penalty", "must be between -2 and 2, got -3")]
    [InlineData(""","max_tokens":0""", "max_tokens", "must be at least 1, got 0")]
    [InlineData(""","max_completion_tokens":1.5""", "max_completion_tokens", "must be an integer")]
    [InlineData(""","n":0""", "n", "must be between 1 and 128, got 0")]
    [InlineData(""","seed":1.5""", "seed", "must be an integer")]
    [InlineData(""","top_logprobs":21""", "top_logprobs", "must be between 0 and 20, got 21")]
    [InlineData(""","logprobs":"yes" """, "logprobs", "must be a boolean")]
    [InlineData(""","stream":"yes" """, "stream", "must be a boolean")]
    [InlineData(""","stream_options":{"include_usage":"x"}""", "stream_options.include_usage", "must be a boolean")]
    [InlineData(""","stream_options":[]""", "stream_options", "must be an object")]
    [InlineData(""","stop":5""", "stop", "must be a string or an array of strings")]
    [InlineData(""","stop":["a",1]""", "stop[1]", "must be a string")]
    [InlineData(""","user":{}""", "user", "must be a string")]
    [InlineData(""","metadata":{"a":1}""", "metadata.a", "must be a string")]
    [InlineData(""","metadata":"x" """, "metadata", "must be an object")]
    [InlineData(""","reasoning_effort":3""", "reasoning_effort", "must be a string")]
    public void Sampling_and_options(string extra, string param, string message) => AssertError(WithMessages(User, extra), param, message);

    [Theory]
    [InlineData(""","tools":{}""", "tools", "must be an array")]
    [InlineData(""","tools":["f"]""", "tools[0]", "must be an object")]
    [InlineData(""","tools":[{"type":"function"}]""", "tools[0].function", "is required")]
    [InlineData(""","tools":[{"type":"function","function":{"description":"d"}}]""", "tools[0].function.name", "is required")]
    [InlineData(""","tools":[{"type":"function","function":{"name":""}}]""", "tools[0].function.name", "must be a non-empty string")]
    [InlineData(""","tools":[{"type":"function","function":{"name":"f","parameters":"x"}}]""", "tools[0].function.parameters", "must be an object")]
    [InlineData(""","tool_choice":"sometimes" """, "tool_choice", "'sometimes' is not a valid tool choice; expected 'none', 'auto', 'required' or an object")]
    [InlineData(""","tool_choice":{"type":"function"}""", "tool_choice.function", "is required")]
    [InlineData(""","tool_choice":{"type":"function","function":{}}""", "tool_choice.function.name", "is required")]
    [InlineData(""","tool_choice":{"function":{"name":"f"}}""", "tool_choice.type", "is required")]
    [InlineData(""","tool_choice":1""", "tool_choice", "must be a string or an object")]
    [InlineData(""","functions":[1]""", "functions[0]", "must be an object")]
    [InlineData(""","function_call":"always" """, "function_call", "'always' is not a valid function call mode; expected 'none', 'auto' or an object")]
    [InlineData(""","response_format":"json" """, "response_format", "must be an object")]
    [InlineData(""","response_format":{}""", "response_format.type", "is required")]
    [InlineData(""","response_format":{"type":"xml"}""", "response_format.type", "'xml' is not a valid response format; expected 'text', 'json_object' or 'json_schema'")]
    [InlineData(""","response_format":{"type":"json_schema"}""", "response_format.json_schema", "is required")]
    [InlineData(""","response_format":{"type":"json_schema","json_schema":{"schema":{}}}""", "response_format.json_schema.name", "is required")]
    [InlineData(""","response_format":{"type":"json_schema","json_schema":{"name":"n","strict":"yes"}}""", "response_format.json_schema.strict", "must be a boolean")]
    public void Tools_and_formats(string extra, string param, string message) => AssertError(WithMessages(User, extra), param, message);

    [Fact]
    public void Error_reads_as_param_colon_message_with_an_OpenAI_code()
    {
        var error = ErrorOf(WithMessages(User + """,{"role":"assistant","content":"a"},{"role":"robot","content":"x"}"""));
        Assert.Equal("messages[2].role: 'robot' is not a valid role", error.ToString());
        Assert.Equal(ValidationError.InvalidValue, error.Code);

        Assert.Equal(ValidationError.MissingRequiredParameter, ErrorOf("""{"model":"m"}""").Code);
        Assert.Equal(ValidationError.InvalidType, ErrorOf(WithMessages(User, ""","stream":1""")).Code);
        Assert.Equal(ValidationError.InvalidJson, ErrorOf("{").Code);
        Assert.Equal("messages: must be a non-empty array", ErrorOf("""{"model":"m","messages":[]}""").ToString());
    }

    private static void AssertError(string json, string? param, string message)
    {
        var error = ErrorOf(json);
        Assert.Equal(param, error.Param);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
