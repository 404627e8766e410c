using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

public class ResponsesRequestReaderTests
{
    private static ChatRequest Read(string json)
    {
        var result = ResponsesRequestReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private static ValidationError Refused(string json)
    {
        var result = ResponsesRequestReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess, "expected a validation error");
        return result.Error;
    }

    [Fact]
    public void String_input_and_instructions_become_system_then_user()
    {
        var request = Read("""{"model":"gpt-5","instructions":"Be brief.","input":"Hi"}""");
        Assert.Equal("gpt-5", request.Model);
        Assert.Equal(ResponsesDialect.Name, request.SourceDialect);
        Assert.True(request.Hints.SystemAsInstructions);
        Assert.Collection(request.Messages,
            m => { Assert.Equal(ChatRole.System, m.Role); Assert.Equal("Be brief.", Assert.IsType<TextPart>(Assert.Single(m.Parts)).Text); },
            m => { Assert.Equal(ChatRole.User, m.Role); Assert.Equal("Hi", Assert.IsType<TextPart>(Assert.Single(m.Parts)).Text); });
    }

    [Fact]
    public void Message_items_of_every_role_and_content_kind()
    {
        var request = Read("""
            {"model":"m","input":[
              {"role":"developer","content":"Rules"},
              {"type":"message","role":"system","content":[{"type":"input_text","text":"Sys"}]},
              {"type":"message","role":"user","content":[
                {"type":"input_text","text":"Look"},
                {"type":"input_image","image_url":"https://example.com/a.png","detail":"high"},
                {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="},
                {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Seen","annotations":[]}]}
            ]}
            """);
        Assert.Equal([ChatRole.Developer, ChatRole.System, ChatRole.User, ChatRole.Assistant], request.Messages.Select(m => m.Role));
        var user = request.Messages[2].Parts;
        Assert.Equal("Look", Assert.IsType<TextPart>(user[0]).Text);
        var url = Assert.IsType<ImagePart>(user[1]);
        Assert.Equal(("https://example.com/a.png", "high"), (url.Url, url.Detail));
        var data = Assert.IsType<ImagePart>(user[2]);
        Assert.Equal(("iVBORw0KGgo=", "image/png"), (data.Data, data.MediaType));
        var file = Assert.IsType<FilePart>(user[3]);
        Assert.Equal(("JVBERi0=", "application/pdf", "a.pdf"), (file.Data, file.MediaType, file.Filename));
        Assert.Equal("Seen", Assert.IsType<TextPart>(Assert.Single(request.Messages[3].Parts)).Text);
    }

    [Fact]
    public void Reasoning_call_and_output_items_become_one_assistant_turn_and_a_tool_result()
    {
        var request = Read("""
            {"model":"m","input":[
              {"role":"user","content":"Add 1 and 2"},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Adding."}],"encrypted_content":"gAAAA-opaque"},
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"add","arguments":"{\"a\":1,\"b\":2}"},
              {"type":"custom_tool_call","call_id":"call_2","name":"apply_patch","input":"*** Begin Patch"},
              {"type":"function_call_output","call_id":"call_1","output":"3"},
              {"type":"custom_tool_call_output","call_id":"call_2","output":"Done"}
            ]}
            """);
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Tool], request.Messages.Select(m => m.Role));
        var assistant = request.Messages[1].Parts;
        var thinking = Assert.IsType<ThinkingPart>(assistant[0]);
        Assert.Equal(("Adding.", "gAAAA-opaque"), (thinking.Text, thinking.Signature));
        Assert.Equal("rs_1", ExtensionField.Find(thinking.Extensions, "id")!.Value.GetString());
        var call = Assert.IsType<ToolCallPart>(assistant[1]);
        Assert.Equal(("call_1", "add", "{\"a\":1,\"b\":2}", ToolCallKind.Function), (call.Id, call.Name, call.Arguments, call.Kind));
        var custom = Assert.IsType<ToolCallPart>(assistant[2]);
        Assert.Equal(("apply_patch", "*** Begin Patch", ToolCallKind.Custom), (custom.Name, custom.Arguments, custom.Kind));
        var result = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[2].Parts));
        Assert.Equal(("call_1", "add"), (result.ToolCallId, result.Name));
        Assert.Equal("3", Assert.IsType<TextPart>(Assert.Single(result.Content)).Text);
        Assert.Equal("apply_patch", Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[3].Parts)).Name);
    }

    /// <summary>Regression: the call went to Anthropic and Gemini as a free-text call of a tool they had been offered as
    /// a function, and they refused the request (Codex's second turn after apply_patch).</summary>
    [Fact]
    public void A_call_to_a_declared_custom_tool_is_the_function_call_it_was_offered_as()
    {
        var request = Read("""
            {"model":"m","tools":[{"type":"custom","name":"apply_patch"}],"input":[
              {"role":"user","content":"Patch it"},
              {"type":"custom_tool_call","call_id":"call_2","name":"apply_patch","input":"*** Begin Patch\n+\"x\""},
              {"type":"custom_tool_call_output","call_id":"call_2","output":"Done"}
            ]}
            """);
        var call = Assert.IsType<ToolCallPart>(Assert.Single(request.Messages[1].Parts));
        Assert.Equal(ToolCallKind.Function, call.Kind);
        Assert.Equal("*** Begin Patch\n+\"x\"", JsonDocument.Parse(call.Arguments).RootElement.GetProperty("input").GetString());
    }

    [Fact]
    public void Namespace_tools_are_functions_named_after_their_namespace_and_calls_in_them_too()
    {
        var request = Read("""
            {"model":"m","tools":[{"type":"namespace","name":"crm","description":"CRM","tools":[
                {"type":"function","name":"lookup","parameters":{"type":"object"}},{"type":"custom","name":"note"}]}],
             "input":[{"role":"user","content":"Find Ada"},
              {"type":"function_call","call_id":"call_1","namespace":"crm","name":"lookup","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"found"}]}
            """);

        var tools = request.Tools.Cast<FunctionTool>().ToList();
        Assert.Equal(["crm__lookup", "crm__note"], tools.Select(t => t.Name));
        Assert.Equal([ToolCallKind.Function, ToolCallKind.Custom], tools.Select(t => t.Kind));
        Assert.Equal("crm__lookup", Assert.IsType<ToolCallPart>(Assert.Single(request.Messages[1].Parts)).Name);
        Assert.Equal((string?)"crm", ResponsesNamespaces.Split(request, "crm__note").Space);
        Assert.Equal(((string?)null, "other"), ResponsesNamespaces.Split(request, "other"));
    }

    [Fact]
    public void Tools_of_every_kind()
    {
        var request = Read("""
            {"model":"m","input":"x","tools":[
              {"type":"function","name":"add","description":"Adds","parameters":{"type":"object"},"strict":true},
              {"type":"custom","name":"apply_patch","description":"Patch files","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
              {"type":"web_search"}],
             "tool_choice":{"type":"function","name":"add"},"parallel_tool_calls":false}
            """);
        var function = Assert.IsType<FunctionTool>(request.Tools[0]);
        Assert.Equal(("add", "Adds", true, ToolCallKind.Function), (function.Name, function.Description, function.Strict, function.Kind));
        var custom = Assert.IsType<FunctionTool>(request.Tools[1]);
        Assert.Equal(ToolCallKind.Custom, custom.Kind);
        Assert.Equal("string", custom.Parameters!.Value.GetProperty("properties").GetProperty("input").GetProperty("type").GetString());
        Assert.Equal("grammar", ExtensionField.Find(custom.Extensions, "format")!.Value.GetProperty("type").GetString());
        var hosted = Assert.IsType<ProviderTool>(request.Tools[2]);
        Assert.Equal((ResponsesDialect.Name, "web_search"), (hosted.Dialect, hosted.Type));
        Assert.Equal(ToolChoice.Function("add"), request.ToolChoice);
        Assert.False(request.ParallelToolCalls);
    }

    [Theory]
    [InlineData("\"auto\"", ToolChoiceMode.Auto)]
    [InlineData("\"none\"", ToolChoiceMode.None)]
    [InlineData("\"required\"", ToolChoiceMode.Required)]
    [InlineData("{\"type\":\"custom\",\"name\":\"apply_patch\"}", ToolChoiceMode.Named)]
    [InlineData("{\"type\":\"allowed_tools\",\"mode\":\"auto\",\"tools\":[{\"type\":\"function\",\"name\":\"add\"}]}", ToolChoiceMode.Other)]
    [InlineData("{\"type\":\"allowed_tools\",\"mode\":\"required\",\"tools\":[{\"type\":\"web_search\"}]}", ToolChoiceMode.None)]
    [InlineData("{\"type\":\"web_search\"}", ToolChoiceMode.Auto)]
    public void Tool_choice_forms(string choice, ToolChoiceMode mode) =>
        Assert.Equal(mode, Read($$"""{"model":"m","input":"x","tool_choice":{{choice}}}""").ToolChoice!.Mode);

    /// <summary>Regression: Responses' flat allowed_tools went raw to Chat Completions upstreams and was refused for
    /// Gemini; a hosted tool as the choice went raw to Chat Completions (a 400).</summary>
    [Fact]
    public void Allowed_tools_become_the_chat_form_the_other_writers_read_and_the_sent_choice_is_kept_for_the_echo()
    {
        const string sent = """{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"add"},{"type":"custom","name":"apply_patch"},{"type":"web_search"}]}""";
        var request = Read($$"""{"model":"m","input":"x","tool_choice":{{sent}}}""");

        var raw = request.ToolChoice!.Raw!.Value;
        Assert.Equal("allowed_tools", raw.GetProperty("type").GetString());
        Assert.Equal("required", raw.GetProperty("allowed_tools").GetProperty("mode").GetString());
        Assert.Equal(["add", "apply_patch"], raw.GetProperty("allowed_tools").GetProperty("tools").EnumerateArray()
            .Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal(JsonElement.Parse(sent).GetRawText(), ExtensionField.Find(request.Extensions, "tool_choice")!.Value.GetRawText());
    }

    [Fact]
    public void Text_format_reasoning_and_scalars()
    {
        var request = Read("""
            {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"out","schema":{"type":"object"},"strict":true},"verbosity":"low"},
             "reasoning":{"effort":"high","summary":"auto"},"max_output_tokens":500,"temperature":0.5,"top_p":0.9,"stream":true,
             "metadata":{"k":"v"},"user":"u1","store":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"pk",
             "truncation":"auto","previous_response_id":"resp_1","service_tier":"flex"}
            """);
        Assert.Equal(ResponseFormatKind.JsonSchema, request.ResponseFormat!.Kind);
        Assert.Equal(("out", true), (request.ResponseFormat.JsonSchema!.Name, request.ResponseFormat.JsonSchema.Strict));
        Assert.Equal(("high", "auto"), (request.Reasoning!.Effort, request.Reasoning.Summary));
        Assert.Equal((500, 0.5, 0.9, true, "u1"), (request.MaxOutputTokens, request.Temperature, request.TopP, request.IsStreaming, request.User));
        Assert.Equal("v", request.Metadata!["k"]);
        Assert.Equal(["text", "store", "include", "prompt_cache_key", "truncation", "previous_response_id", "service_tier"],
            request.Extensions.Select(e => e.Name));
        Assert.Equal("low", ExtensionField.Find(request.Extensions, "text")!.Value.GetProperty("verbosity").GetString());
    }

    [Fact]
    public void Json_object_format() =>
        Assert.Equal(ResponseFormat.JsonObject, Read("""{"model":"m","input":"x","text":{"format":{"type":"json_object"}}}""").ResponseFormat);

    [Fact]
    public void Previous_response_id_alone_needs_no_input() =>
        Assert.Empty(Read("""{"model":"m","previous_response_id":"resp_1"}""").Messages);

    [Theory]
    [InlineData("""{"model":"m","input":"x","frobnicate":1}""", "frobnicate", "unknown_parameter")]
    [InlineData("""{"input":"x"}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":"m"}""", "input", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":42}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"user","content":[{"type":"input_audio","data":""}]}]}""", "input[2].content[0].type", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_file","file_id":"file-1"}]}]}""", "input[0].content[1].file_id", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}""", "input[0].content[0].file_id", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"file:///etc/passwd"}]}]}""", "input[0].content[0].image_url", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"role":"robot","content":"a"}]}""", "input[0].role", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "input[0].call_id", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"type":"telepathy"}]}""", "input[0].type", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function"}]}""", "tools[0].name", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","schema":{}}}}""", "text.format.name", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":"x","temperature":3}""", "temperature", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","tool_choice":"sometimes"}""", "tool_choice", "invalid_value")]
    public void Bad_requests_name_the_parameter(string json, string param, string code)
    {
        var error = Refused(json);
        Assert.Equal((param, code), (error.Param, error.Code));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("{\"model\":")]
    [InlineData("{} {}")]
    public void Malformed_bodies_are_refused(string json) => Refused(json);
}
