namespace Switchboard.Core.Tests.Providers.OpenAI.Requests;

/// <summary>What each request fixture means in canonical terms.</summary>
public sealed class RequestReaderFactsTests
{
    private static ChatRequest Load(string name) => Canon.Request(LocalFixtures.Bytes($"requests/{name}"));

    [Fact]
    public void Multi_turn_with_tools()
    {
        var request = Load("multi-turn-tools.json");

        Assert.Equal("gpt-4o", request.Model);
        Assert.Equal(OpenAIChatDialect.Name, request.SourceDialect);
        Assert.Equal(
            [ChatRole.System, ChatRole.Developer, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Tool, ChatRole.Assistant, ChatRole.User],
            request.Messages.Select(m => m.Role));

        var system = request.Messages[0];
        Assert.Equal(ContentForm.Text, system.Form);
        Assert.Equal("You are a weather assistant.", Assert.IsType<TextPart>(Assert.Single(system.Parts)).Text);
        Assert.Equal(ContentForm.Parts, request.Messages[1].Form);
        Assert.Equal("alice", request.Messages[2].Name);

        var calls = request.Messages[3].Parts.Cast<ToolCallPart>().ToList();
        Assert.Equal([("call_paris", "get_weather", """{"city":"Paris"}"""), ("call_berlin", "get_weather", """{"city":"Berlin"}""")],
            calls.Select(c => (c.Id!, c.Name, c.Arguments)));

        var paris = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[4].Parts));
        Assert.Equal(("call_paris", "get_weather", ContentForm.Text), (paris.ToolCallId, paris.Name, paris.Form));
        Assert.Equal("""{"temp_c":18}""", Assert.IsType<TextPart>(Assert.Single(paris.Content)).Text);
        var berlin = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[5].Parts));
        Assert.Equal(("call_berlin", "get_weather", ContentForm.Parts, 2), (berlin.ToolCallId, berlin.Name, berlin.Form, berlin.Content.Length));
        Assert.Empty(request.Messages[5].Extensions);

        var photo = request.Messages[7].Parts;
        var inline = Assert.IsType<ImagePart>(photo[1]);
        Assert.Equal(("image/png", "low", null), (inline.MediaType, inline.Detail, inline.Url));
        Assert.StartsWith("iVBORw0KGgo", inline.Data, StringComparison.Ordinal);
        var linked = Assert.IsType<ImagePart>(photo[2]);
        Assert.Equal(("https://example.com/eiffel.jpg", null, null), (linked.Url, linked.Data, linked.Detail));

        Assert.Equal(2, request.Tools.Length);
        var weather = Assert.IsType<FunctionTool>(request.Tools[0]);
        Assert.Equal(("get_weather", "Current weather for a city.", true), (weather.Name, weather.Description, weather.Strict));
        Assert.Equal("object", weather.Parameters!.Value.GetProperty("type").GetString());
        Assert.Null(Assert.IsType<FunctionTool>(request.Tools[1]).Parameters);
        Assert.Equal(ToolChoice.Function("get_weather"), request.ToolChoice);
        Assert.False(request.ParallelToolCalls);

        Assert.Equal(0.7, request.Temperature);
        Assert.Equal(0.95, request.TopP);
        Assert.Equal(0.5, request.FrequencyPenalty);
        Assert.Equal(-0.25, request.PresencePenalty);
        Assert.Equal(512, request.MaxOutputTokens);
        Assert.Null(request.Hints.MaxTokensField);
        Assert.Equal(new[] { "\n\n", "END" }, request.StopSequences);
        Assert.False(request.Hints.StopAsString);
        Assert.Equal(2, request.N);
        Assert.Equal(424242424242, request.Seed);
        Assert.True(request.IsStreaming);
        Assert.True(request.IncludeUsage);
        Assert.Equal("include_obfuscation", Assert.Single(request.StreamOptionsExtensions).Name);
        Assert.True(request.Logprobs);
        Assert.Equal(3, request.TopLogprobs);
        Assert.Equal("user-1234", request.User);
        Assert.Equal("weather", request.Metadata!["team"]);
        Assert.Equal(["service_tier", "store", "prompt_cache_key", "logit_bias", "x_vendor_option"], request.Extensions.Select(e => e.Name));
        Assert.Equal(JsonValueKind.Array, request.Extensions[^1].Value.GetProperty("nested").ValueKind);
        Assert.Null(request.Reasoning);
    }

    [Fact]
    public void Json_schema_reasoning_and_media()
    {
        var request = Load("json-schema-reasoning.json");

        Assert.Equal("o4-mini", request.Model);
        var system = request.Messages[0];
        Assert.Equal(["Extract the invoice.", "Be exact."], system.Parts.Cast<TextPart>().Select(p => p.Text));

        var user = request.Messages[1];
        Assert.Equal("bob", user.Name);
        var pdf = Assert.IsType<FilePart>(user.Parts[1]);
        Assert.Equal(("invoice.pdf", "application/pdf", "JVBERi0xLjQKJcfsj6IK", null), (pdf.Filename, pdf.MediaType, pdf.Data, pdf.FileId));
        Assert.Equal("file-abc123", Assert.IsType<FilePart>(user.Parts[2]).FileId);
        var audio = Assert.IsType<AudioPart>(user.Parts[3]);
        Assert.Equal("wav", audio.Format);

        var format = request.ResponseFormat!;
        Assert.Equal(ResponseFormatKind.JsonSchema, format.Kind);
        Assert.Equal(("invoice", "An invoice", true), (format.JsonSchema!.Name, format.JsonSchema.Description, format.JsonSchema.Strict));
        Assert.Equal(["total", "lines"], format.JsonSchema.Schema!.Value.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal("high", request.Reasoning!.Effort);
        Assert.Equal(2048, request.MaxOutputTokens);
        Assert.Equal(OpenAIChatDialect.MaxTokens, request.Hints.MaxTokensField);
        Assert.Equal(new[] { "###" }, request.StopSequences);
        Assert.True(request.Hints.StopAsString);
        Assert.Equal(40, request.TopK);
        Assert.Equal(ToolChoice.Auto, request.ToolChoice);
        Assert.False(request.Stream);
        Assert.False(request.IsStreaming);
        Assert.Empty(request.Extensions);
    }

    [Fact]
    public void Legacy_function_calling()
    {
        var request = Load("legacy-functions.json");

        Assert.True(request.Hints.LegacyFunctions);
        var add = Assert.IsType<FunctionTool>(Assert.Single(request.Tools));
        Assert.Equal(("add", "Adds two numbers."), (add.Name, add.Description));
        Assert.Equal(ToolChoice.Function("add"), request.ToolChoice);

        var call = Assert.IsType<ToolCallPart>(Assert.Single(request.Messages[1].Parts));
        Assert.Equal((null, "add", """{"a":2,"b":3}"""), (call.Id, call.Name, call.Arguments));
        var result = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[2].Parts));
        Assert.Equal(ChatRole.Tool, request.Messages[2].Role);
        Assert.Equal((null, "add", "5"), (result.ToolCallId, result.Name, Assert.IsType<TextPart>(Assert.Single(result.Content)).Text));
        Assert.Equal(0, request.Temperature);
    }

    [Fact]
    public void Thinking_history_with_signatures_and_cache_breakpoints()
    {
        var request = Load("thinking-history.json");

        var system = Assert.IsType<TextPart>(Assert.Single(request.Messages[0].Parts));
        Assert.Equal(new CacheControl("ephemeral", "1h"), system.CacheControl);

        var assistant = request.Messages[2].Parts;
        var thinking = Assert.IsType<ThinkingPart>(assistant[0]);
        Assert.Equal(("925 divided by 5 is 185.", "EvQBCkYICxgCKkAxhD4NUKFzudtZ6NzbZdEiBACIScTzqjPV"), (thinking.Text, thinking.Signature));
        Assert.Equal("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw", Assert.IsType<RedactedThinkingPart>(assistant[1]).Data);
        Assert.Equal("925 ÷ 5 = 185.", Assert.IsType<TextPart>(assistant[2]).Text);
        var weather = Assert.IsType<ToolCallPart>(assistant[3]);
        Assert.Equal(("call_w1", "EqUCCqICAb4+9vsh8Pd5taZVoPzSvjWW", ToolCallKind.Function), (weather.Id, weather.Signature, weather.Kind));
        var grep = Assert.IsType<ToolCallPart>(assistant[4]);
        Assert.Equal(("grep", "TODO src/", ToolCallKind.Custom), (grep.Name, grep.Arguments, grep.Kind));

        var weatherResult = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[3].Parts));
        Assert.Equal("weather", weatherResult.Name);
        Assert.Equal("name", Assert.Single(request.Messages[3].Extensions).Name);
        Assert.Equal("grep", Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[4].Parts)).Name);

        var plainThinking = Assert.IsType<ThinkingPart>(request.Messages[5].Parts[0]);
        Assert.Equal(("The tool said sunny.", null), (plainThinking.Text, plainThinking.Signature));
        Assert.Equal("prefix", Assert.Single(request.Messages[5].Extensions).Name);

        Assert.Equal(CacheControl.Ephemeral, request.Messages[6].Parts[0].CacheControl);
        Assert.Equal(CacheControl.Ephemeral, Assert.IsType<FunctionTool>(request.Tools[0]).CacheControl);
        var custom = Assert.IsType<ProviderTool>(request.Tools[1]);
        Assert.Equal((OpenAIChatDialect.Name, "custom"), (custom.Dialect, custom.Type));
        Assert.Equal(ToolChoiceMode.Other, request.ToolChoice!.Mode);
        Assert.Equal(ResponseFormat.JsonObject, request.ResponseFormat);
        Assert.Equal("medium", request.Reasoning!.Effort);
    }

    [Fact]
    public void Assistant_content_parts_and_refusals()
    {
        var request = Load("assistant-parts-and-refusal.json");

        var first = request.Messages[1];
        Assert.Equal(ContentForm.Parts, first.Form);
        Assert.Equal("I can say this much: ", Assert.IsType<TextPart>(first.Parts[0]).Text);
        Assert.Equal("I can't share secrets.", Assert.IsType<RefusalPart>(first.Parts[1]).Refusal);
        Assert.Equal("Still no.", Assert.IsType<RefusalPart>(Assert.Single(request.Messages[2].Parts)).Refusal);
        Assert.Equal(ToolChoice.None, request.ToolChoice);
        Assert.False(request.IncludeUsage);
        Assert.Equal(ResponseFormat.Text, request.ResponseFormat);
    }

    [Fact]
    public void Minimal_request_has_defaults()
    {
        var request = Load("minimal.json");

        Assert.Equal("gpt-4o-mini", request.Model);
        Assert.Equal(Message.FromText(ChatRole.User, "Say hi.").Parts, request.Messages[0].Parts, EqualityComparer<ContentPart>.Default);
        Assert.Empty(request.Tools);
        Assert.Null(request.ToolChoice);
        Assert.Null(request.Stream);
        Assert.Null(request.IncludeUsage);
        Assert.Null(request.MaxOutputTokens);
        Assert.Empty(request.StopSequences);
        Assert.Empty(request.Extensions);
        Assert.Same(DialectHints.None, request.Hints);
    }

    [Fact]
    public void Tool_result_name_comes_from_the_matching_call()
    {
        var request = Canon.Request("""
            {"model":"m","messages":[
              {"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"first","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"a","content":"1"},
              {"role":"tool","tool_call_id":"unknown","content":"2"}]}
            """);
        Assert.Equal("first", Assert.IsType<ToolResultPart>(request.Messages[1].Parts[0]).Name);
        Assert.Null(Assert.IsType<ToolResultPart>(request.Messages[2].Parts[0]).Name);
    }

    [Fact]
    public void Lenient_shapes_that_OpenAI_compatible_servers_accept()
    {
        var request = Canon.Request("""
            {"model":"m","messages":[
              {"content":[{"image_url":"https://x/y.png","type":"image_url"}],"role":"user"},
              {"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":{"a":1}}}]}],
             "temperature":null,"stop":null,"tools":null,"stream_options":null,"metadata":null}
            """);
        Assert.Equal("https://x/y.png", Assert.IsType<ImagePart>(request.Messages[0].Parts[0]).Url);
        Assert.Equal("""{"a":1}""", Assert.IsType<ToolCallPart>(request.Messages[1].Parts[0]).Arguments);
        Assert.Null(request.Temperature);
        Assert.Empty(request.StopSequences);
        Assert.Empty(request.Tools);
        Assert.Null(request.Metadata);
    }

    [Fact]
    public void Both_max_token_spellings_keep_the_current_one_and_carry_the_other_raw()
    {
        var request = Canon.Request("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":10,"max_completion_tokens":20}""");
        Assert.Equal(20, request.MaxOutputTokens);
        Assert.Equal(10, ExtensionField.Find(request.Extensions, "max_tokens")!.Value.GetInt32());
        var written = Canon.Utf8(OpenAIChatRequestWriter.WriteToUtf8Bytes(request));
        JsonSemantic.Equal("""{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":10,"max_completion_tokens":20}""", written);
    }
}
