using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>
/// Gemini <c>generateContent</c> bodies (the shape Gemini CLI sends) read into the canonical model, and on to an
/// OpenAI Chat body, as the gateway translates them for OpenAI upstreams; bad bodies fail naming the member.
/// </summary>
public sealed class GeminiRequestReaderTests
{
    /// <summary>A second turn as Gemini CLI sends it: its context, a call with id and signature, the call's response.</summary>
    private const string CliTurn = """
        {"contents":[
          {"role":"user","parts":[{"text":"<session_context>cwd</session_context>"},{"text":"Read notes.txt"}]},
          {"role":"model","parts":[{"functionCall":{"id":"read_file_1","name":"read_file","args":{"file_path":"notes.txt"}},"thoughtSignature":"c2ln"}]},
          {"role":"user","parts":[{"functionResponse":{"id":"read_file_1","name":"read_file","response":{"output":"hello\n"}}}]}],
         "systemInstruction":{"parts":[{"text":"You are Gemini CLI."}]},
         "tools":[{"functionDeclarations":[{"name":"read_file","description":"Reads a file.","parametersJsonSchema":{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]}}]}],
         "generationConfig":{"temperature":1,"topP":0.95,"topK":64,"maxOutputTokens":900,"stopSequences":["END"],"thinkingConfig":{"includeThoughts":true,"thinkingBudget":2048}},
         "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}]}
        """;

    private static ChatRequest Read(string json, bool stream = false)
    {
        var result = GeminiRequestReader.Read(Encoding.UTF8.GetBytes(json), "m", stream);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private static ValidationError Fails(string json)
    {
        var result = GeminiRequestReader.Read(Encoding.UTF8.GetBytes(json), "m", stream: false);
        Assert.False(result.IsSuccess);
        return result.Error;
    }

    [Fact]
    public void A_Gemini_CLI_turn_becomes_the_canonical_conversation()
    {
        var request = Read(CliTurn, stream: true);

        Assert.True(request.IsStreaming);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], request.Messages.Select(m => m.Role));
        Assert.Equal(["text:You are Gemini CLI."], GeminiPipeline.Show(request.Messages[0].Parts));
        Assert.Equal(["text:<session_context>cwd</session_context>", "text:Read notes.txt"], GeminiPipeline.Show(request.Messages[1].Parts));
        Assert.Equal(["call:read_file_1|read_file|{\"file_path\":\"notes.txt\"}|c2ln"], GeminiPipeline.Show(request.Messages[2].Parts));
        var result = Assert.IsType<ToolResultPart>(Assert.Single(request.Messages[3].Parts));
        Assert.Equal(("read_file_1", "read_file"), (result.ToolCallId, result.Name));
        Assert.Equal("text:hello\n", GeminiPipeline.Show(Assert.Single(result.Content)));

        var tool = Assert.IsType<FunctionTool>(Assert.Single(request.Tools));
        Assert.Equal(("read_file", "Reads a file."), (tool.Name, tool.Description));
        JsonSemantic.Equal("""{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]}""", tool.Parameters!.Value.GetRawText());
        Assert.Equal((1.0, 0.95, 64, 900), (request.Temperature, request.TopP, request.TopK, request.MaxOutputTokens));
        Assert.Equal("END", Assert.Single(request.StopSequences));
        Assert.Equal((true, 2048), (request.Reasoning!.Enabled, request.Reasoning.BudgetTokens));
        Assert.Equal("safetySettings", Assert.Single(request.Extensions).Name);
    }

    [Fact]
    public void Translated_to_OpenAI_the_tool_result_answers_its_call()
    {
        var body = JsonDocument.Parse(OpenAIChatRequestWriter.WriteToUtf8Bytes(Read(CliTurn), "gpt-4o-mini")).RootElement;
        var messages = body.GetProperty("messages");

        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        var call = messages[2].GetProperty("tool_calls")[0];
        Assert.Equal("read_file_1", call.GetProperty("id").GetString());
        Assert.Equal("read_file", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("tool", messages[3].GetProperty("role").GetString());
        Assert.Equal("read_file_1", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("hello\n", messages[3].GetProperty("content").GetString());
        Assert.False(body.TryGetProperty("safetySettings", out _), "Gemini's own members stay off other wires");
    }

    [Fact]
    public void Calls_without_ids_are_paired_with_their_responses_in_order()
    {
        var request = Read("""
            {"contents":[{"role":"user","parts":[{"text":"weather?"}]},
              {"role":"model","parts":[{"functionCall":{"name":"weather","args":{"city":"Paris"}}},{"functionCall":{"name":"weather","args":{"city":"Rome"}}}]},
              {"role":"user","parts":[{"functionResponse":{"name":"weather","response":{"output":"18C"}}},{"functionResponse":{"name":"weather","response":{"output":"25C"}}}]}]}
            """);

        var calls = request.Messages[1].Parts.Cast<ToolCallPart>().ToList();
        var results = request.Messages[2].Parts.Cast<ToolResultPart>().ToList();
        Assert.Equal(2, calls.Select(c => c.Id).Distinct().Count());
        Assert.All(calls, c => Assert.StartsWith("call_", c.Id));
        Assert.Equal(calls.Select(c => c.Id), results.Select(r => r.ToolCallId));
        Assert.Equal(["text:18C", "text:25C"], results.Select(r => GeminiPipeline.Show(Assert.Single(r.Content))));
    }

    [Fact]
    public void Gemini_schemas_become_JSON_Schema_and_tool_config_a_tool_choice()
    {
        var request = Read("""
            {"contents":[{"parts":[{"text":"hi"}]}],
             "tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT","properties":{"n":{"type":"INTEGER","nullable":true},"type":{"type":"STRING","enum":["a"]}},"propertyOrdering":["n","type"]}}]},{"googleSearch":{}}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}},
             "generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"ARRAY","items":{"type":"STRING"}}}}
            """);

        var function = Assert.IsType<FunctionTool>(request.Tools[0]);
        JsonSemantic.Equal("""{"type":"object","properties":{"n":{"type":["integer","null"]},"type":{"type":"string","enum":["a"]}}}""", function.Parameters!.Value.GetRawText());
        var search = Assert.IsType<ProviderTool>(request.Tools[1]);
        Assert.Equal((GeminiDialect.Name, "googleSearch"), (search.Dialect, search.Type));
        Assert.Equal((ToolChoiceMode.Named, "f"), (request.ToolChoice!.Mode, request.ToolChoice.Name));
        Assert.Equal(ResponseFormatKind.JsonSchema, request.ResponseFormat!.Kind);
        JsonSemantic.Equal("""{"type":"array","items":{"type":"string"}}""", request.ResponseFormat.JsonSchema!.Schema!.Value.GetRawText());
    }

    [Fact]
    public void Thoughts_signatures_and_images_are_kept()
    {
        var request = Read("""
            {"contents":[{"role":"user","parts":[{"text":"what is this?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]},
              {"role":"model","parts":[{"text":"planning","thought":true,"thoughtSignature":"dA=="},{"text":"A cat.","thoughtSignature":"eA=="}]},
              {"role":"user","parts":[{"text":"sure?"}]}],
             "generationConfig":{"thinkingConfig":{"thinkingBudget":0}}}
            """);

        var image = Assert.IsType<ImagePart>(request.Messages[0].Parts[1]);
        Assert.Equal(("iVBORw0KGgo=", "image/png"), (image.Data, image.MediaType));
        Assert.Equal(["thinking:planning|dA==", "thinking:|eA==", "text:A cat."], GeminiPipeline.Show(request.Messages[1].Parts));
        Assert.Equal((false, ReasoningEfforts.None), (request.Reasoning!.Enabled, request.Reasoning.Effort));

        // Written back for a Gemini upstream, the signatures sit on the parts they came on.
        var gemini = JsonDocument.Parse(GeminiPipeline.WriteGemini(request)).RootElement;
        var parts = gemini.GetProperty("contents")[1].GetProperty("parts");
        Assert.Equal("dA==", parts[0].GetProperty("thoughtSignature").GetString());
        Assert.Equal(("A cat.", "eA=="), (parts[1].GetProperty("text").GetString(), parts[1].GetProperty("thoughtSignature").GetString()));
    }

    [Fact]
    public void Include_thoughts_alone_turns_no_thinking_on()
    {
        // Gemini CLI sends it on every request; an Anthropic upstream must not get thinking it never asked for.
        var request = Read("""{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"thinkingConfig":{"includeThoughts":true}}}""");
        Assert.Null(request.Reasoning!.Enabled);
        Assert.Null(request.Reasoning.BudgetTokens);
        Assert.Null(request.Reasoning.Effort);
    }

    [Theory]
    [InlineData("""[]""", "request body")]
    [InlineData("""{"contents":{}}""", "contents")]
    // Fuzz seed 1 case 5893 (a 500 before): a number no double holds.
    [InlineData("""{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"temperature":1e400}}""", "generationConfig.temperature")]
    [InlineData("""{}""", "contents")]
    [InlineData("""{"contents":[{"role":"bot","parts":[{"text":"x"}]}]}""", "contents[0].role")]
    [InlineData("""{"contents":[{"role":"model","parts":[{"functionCall":{"args":{}}}]}]}""", "contents[0].parts[0].functionCall.name")]
    [InlineData("""{"contents":[{"role":"user","parts":[{"functionCall":{"name":"f"}}]}]}""", "contents[0].parts[0].functionCall")]
    [InlineData("""{"contents":[{"parts":[{"text":"x"},{"inlineData":{"data":"AA=="}}]}]}""", "contents[0].parts[1].inlineData.mimeType")]
    [InlineData("""{"contents":[{"parts":[{"fileData":{"mimeType":"image/png","fileUri":"file:///etc/passwd"}}]}]}""", "contents[0].parts[0].fileData.fileUri")]
    [InlineData("""{"contents":[],"generationConfig":{"temperature":"hot"}}""", "generationConfig.temperature")]
    [InlineData("""{"contents":[],"tools":[{"functionDeclarations":[{"description":"no name"}]}]}""", "tools[0].functionDeclarations[0].name")]
    [InlineData("""{"contents":[],"toolConfig":{"functionCallingConfig":{"mode":"SOMETIMES"}}}""", "toolConfig.functionCallingConfig.mode")]
    public void A_bad_body_fails_naming_the_member(string json, string member)
    {
        var error = Fails(json);
        Assert.Contains(member, error.ToString(), StringComparison.Ordinal);
    }
}
