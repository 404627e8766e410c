using Switchboard.Providers.Gemini;
using static Switchboard.Core.Tests.Providers.Gemini.GeminiPipeline;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>OpenAI requests (read by the OpenAI reader, as the gateway does) written as Gemini bodies.</summary>
public sealed class GeminiRequestWriterTests
{
    public static IEnumerable<object[]> RequestFixtures() => LocalFixtures.Files("gemini/requests", "*.openai.json");

    [Theory]
    [MemberData(nameof(RequestFixtures))]
    public void OpenAI_request_becomes_the_expected_Gemini_body(string fixture)
    {
        var request = Canon.Request(LocalFixtures.Bytes(fixture));
        var expected = LocalFixtures.Text(fixture.Replace(".openai.json", ".gemini.json", StringComparison.Ordinal));

        JsonSemantic.Equal(expected, WriteGemini(request));
    }

    private static ChatRequest Conversation(params Message[] messages) => new() { Model = "m", Messages = [.. messages] };

    private static Message User(string text) => Message.FromText(ChatRole.User, text);

    private static Message Assistant(params ContentPart[] parts) => new() { Role = ChatRole.Assistant, Parts = [.. parts] };

    private static Message Tool(params ContentPart[] parts) => new() { Role = ChatRole.Tool, Parts = [.. parts] };

    private static JsonElement Body(ChatRequest request, GeminiWriteOptions? options = null) => ParseJson(WriteGemini(request, options));

    [Fact]
    public void Function_name_is_recovered_from_the_earlier_call_when_the_result_lacks_it()
    {
        var request = Conversation(
            User("Weather?"),
            Assistant(new ToolCallPart("c1", "get_weather", """{"city":"Oslo"}""") { Signature = "S1" }),
            Tool(new ToolResultPart("c1") { Content = [new TextPart("""{"temp":3}""")] }),
            new Message { Role = ChatRole.User, Parts = [new ToolResultPart("c1") { Name = "explicit_name", Content = [new TextPart("x")] }] });

        var contents = Body(request).GetProperty("contents");
        Assert.Equal(3, contents.GetArrayLength());
        var parts = contents[2].GetProperty("parts");
        Assert.Equal("get_weather", parts[0].GetProperty("functionResponse").GetProperty("name").GetString());
        Assert.Equal("""{"temp":3}""", parts[0].GetProperty("functionResponse").GetProperty("response").GetRawText());
        Assert.Equal("explicit_name", parts[1].GetProperty("functionResponse").GetProperty("name").GetString());
    }

    [Fact]
    public void Tool_result_with_no_known_name_is_refused()
    {
        var error = WriteFails(Conversation(User("x"), Tool(new ToolResultPart("nowhere") { Content = [new TextPart("r")] })));
        Assert.Equal("messages[1]", error.Param);
        Assert.Contains("function name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_results_use_the_error_key_and_media_travel_in_functionResponse_parts()
    {
        var request = Conversation(
            User("Screenshot, then fail."),
            Assistant(new ToolCallPart("a", "shot", "{}"), new ToolCallPart("b", "fail", "{}")),
            new Message
            {
                Role = ChatRole.User,
                Parts =
                [
                    new ToolResultPart("a") { Name = "shot", Content = [new TextPart("done"), ImagePart.FromData("AAAA", "image/png")] },
                    new ToolResultPart("b") { Name = "fail", IsError = true, Content = [new TextPart("""{"code":"ENOENT"}""")] },
                    new ToolResultPart("b") { Name = "fail", IsError = true, Content = [new TextPart("boom")] },
                ],
            });

        var parts = Body(request).GetProperty("contents")[2].GetProperty("parts");
        JsonSemantic.Equal(
            """{"functionResponse":{"id":"a","name":"shot","response":{"result":"done"},"parts":[{"inlineData":{"mimeType":"image/png","data":"AAAA"}}]}}""",
            parts[0].GetRawText());
        JsonSemantic.Equal("""{"error":{"code":"ENOENT"}}""", parts[1].GetProperty("functionResponse").GetProperty("response").GetRawText());
        JsonSemantic.Equal("""{"error":"boom"}""", parts[2].GetProperty("functionResponse").GetProperty("response").GetRawText());
    }

    [Fact]
    public void Gemini_signatures_go_back_where_Gemini_put_them()
    {
        // As GeminiResponseReader reads them: a signature that rode on a text part precedes that text; one
        // that rode on an empty final part has nothing after it.
        var request = Conversation(
            User("Q1"),
            Assistant(new ThinkingPart("Pondering.", "SIG_THOUGHT"), new ThinkingPart("", "SIG_TEXT"), new TextPart("A1")),
            User("Q2"),
            Assistant(new TextPart("A2"), new ThinkingPart("", "SIG_END")),
            User("Q3"));

        var contents = Body(request).GetProperty("contents");
        JsonSemantic.Equal(
            """[{"text":"Pondering.","thought":true,"thoughtSignature":"SIG_THOUGHT"},{"text":"A1","thoughtSignature":"SIG_TEXT"}]""",
            contents[1].GetProperty("parts").GetRawText());
        JsonSemantic.Equal(
            """[{"text":"A2"},{"text":"","thoughtSignature":"SIG_END"}]""",
            contents[3].GetProperty("parts").GetRawText());
    }

    [Fact]
    public void Only_the_first_unsigned_call_of_a_model_turn_gets_the_placeholder_and_it_can_be_turned_off()
    {
        var request = Conversation(
            User("Go."),
            Assistant(new ToolCallPart("x", "f", "{}"), new ToolCallPart("y", "f", "{}")),
            Tool(new ToolResultPart("x") { Content = [new TextPart("1")] }, new ToolResultPart("y") { Content = [new TextPart("2")] }),
            Assistant(new ToolCallPart("z", "f", "{}") { Signature = "REAL" }, new ToolCallPart("w", "f", "{}")),
            Tool(new ToolResultPart("z") { Content = [new TextPart("3")] }, new ToolResultPart("w") { Content = [new TextPart("4")] }));

        var contents = Body(request).GetProperty("contents");
        Assert.Equal(GeminiDialect.SkipThoughtSignatureValidator, contents[1].GetProperty("parts")[0].GetProperty("thoughtSignature").GetString());
        Assert.False(contents[1].GetProperty("parts")[1].TryGetProperty("thoughtSignature", out _));
        Assert.Equal("REAL", contents[3].GetProperty("parts")[0].GetProperty("thoughtSignature").GetString());
        Assert.False(contents[3].GetProperty("parts")[1].TryGetProperty("thoughtSignature", out _));

        var unsigned = Body(request, new GeminiWriteOptions { MissingSignaturePlaceholder = null }).GetProperty("contents");
        Assert.False(unsigned[1].GetProperty("parts")[0].TryGetProperty("thoughtSignature", out _));
    }

    [Theory]
    [InlineData("\"auto\"", """{"mode":"AUTO"}""")]
    [InlineData("\"none\"", """{"mode":"NONE"}""")]
    [InlineData("\"required\"", """{"mode":"ANY"}""")]
    [InlineData("""{"type":"function","function":{"name":"b"}}""", """{"mode":"ANY","allowedFunctionNames":["b"]}""")]
    [InlineData("""{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"a"}}]}}""", """{"mode":"ANY","allowedFunctionNames":["a"]}""")]
    [InlineData("""{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}]}}""", """{"mode":"VALIDATED","allowedFunctionNames":["a","b"]}""")]
    public void Tool_choice_maps_to_functionCallingConfig(string toolChoice, string expected)
    {
        var request = Canon.Request($$$"""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],
             "tool_choice":{{{toolChoice}}}}
            """);

        var body = Body(request);
        JsonSemantic.Equal(expected, body.GetProperty("toolConfig").GetProperty("functionCallingConfig").GetRawText());
        JsonSemantic.Equal("""[{"functionDeclarations":[{"name":"a"},{"name":"b"}]}]""", body.GetProperty("tools").GetRawText());
    }

    [Fact]
    public void Custom_tool_choice_is_refused_and_no_tools_means_no_toolConfig()
    {
        var custom = Conversation(User("hi")) with
        {
            Tools = [new FunctionTool("a")],
            ToolChoice = new ToolChoice(ToolChoiceMode.Other, Raw: ParseJson("""{"type":"custom","custom":{"name":"grammar"}}""")),
        };
        Assert.Equal("tool_choice", WriteFails(custom).Param);

        var noTools = Conversation(User("hi")) with { ToolChoice = ToolChoice.None };
        var body = Body(noTools);
        Assert.False(body.TryGetProperty("toolConfig", out _));
        Assert.False(body.TryGetProperty("tools", out _));
    }

    [Fact]
    public void Gemini_built_in_tools_pass_and_other_providers_built_ins_are_left_out()
    {
        var request = Conversation(User("Search.")) with
        {
            Tools =
            [
                new ProviderTool(GeminiDialect.Name, "googleSearch", ParseJson("""{"googleSearch":{}}""")),
                new ProviderTool("anthropic-messages", "web_search_20250305", ParseJson("""{"type":"web_search_20250305","name":"web_search"}""")),
                new FunctionTool("f") { Strict = true, Description = "d" },
            ],
        };

        JsonSemantic.Equal(
            """[{"functionDeclarations":[{"name":"f","description":"d"}]},{"googleSearch":{}}]""",
            Body(request).GetProperty("tools").GetRawText());
    }

    [Theory]
    [InlineData("low", null, null, null, """{"thinkingBudget":2048,"includeThoughts":true}""")]
    [InlineData("minimal", null, null, null, """{"thinkingBudget":1024,"includeThoughts":true}""")]
    [InlineData(null, 5000, null, null, """{"thinkingBudget":5000,"includeThoughts":true}""")]
    [InlineData("low", 5000, null, null, """{"thinkingBudget":5000,"includeThoughts":true}""")]
    [InlineData("galaxy-brain", null, null, null, """{"includeThoughts":true}""")]
    [InlineData(null, null, true, null, """{"includeThoughts":true}""")]
    [InlineData(null, null, false, null, """{"thinkingBudget":0}""")]
    [InlineData("none", null, null, "gemini-2.5-flash", """{"thinkingBudget":0}""")]
    [InlineData(null, null, false, "gemini-2.5-pro", """{"thinkingBudget":128}""")]
    [InlineData(null, null, false, "models/gemini-3-pro-preview", """{"thinkingBudget":128}""")]
    public void Reasoning_becomes_thinkingConfig(string? effort, int? budget, bool? enabled, string? model, string expected)
    {
        var request = Conversation(User("Think.")) with
        {
            Reasoning = new ReasoningOptions { Effort = effort, BudgetTokens = budget, Enabled = enabled },
        };

        var config = Body(request, new GeminiWriteOptions { Model = model }).GetProperty("generationConfig");
        JsonSemantic.Equal(expected, config.GetProperty("thinkingConfig").GetRawText());
    }

    [Fact]
    public void Seed_beyond_32_bits_is_folded_deterministically()
    {
        var request = Conversation(User("x")) with { Seed = 424242424242 };
        var first = Body(request).GetProperty("generationConfig").GetProperty("seed").GetInt32();
        var second = Body(request).GetProperty("generationConfig").GetProperty("seed").GetInt32();
        Assert.Equal(first, second);
        Assert.Equal(unchecked((int)(424242424242 ^ (424242424242 >> 32))), first);
    }

    [Fact]
    public void A_request_with_no_optional_fields_is_just_its_contents()
    {
        JsonSemantic.Equal("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""", WriteGemini(Conversation(User("hi"))));
    }

    public static TheoryData<string, ChatRequest, string> Refusals() => new()
    {
        {
            "arguments that are not a JSON object",
            Conversation(User("x"), Assistant(new ToolCallPart("c", "f", "[1, 2]"))),
            "messages[1].tool_calls"
        },
        {
            "invalid JSON arguments",
            Conversation(User("x"), Assistant(new ToolCallPart("c", "f", "{\"a\":"))),
            "messages[1].tool_calls"
        },
        {
            "custom tool calls",
            Conversation(User("x"), Assistant(new ToolCallPart("c", "grammar", "free text") { Kind = ToolCallKind.Custom })),
            "messages[1].tool_calls"
        },
        {
            "files by provider id",
            Conversation(new Message { Role = ChatRole.User, Parts = [new FilePart { FileId = "file-abc" }] }),
            "messages[0].content"
        },
        {
            "images in system messages",
            Conversation(new Message { Role = ChatRole.System, Parts = [ImagePart.FromUrl("https://x/y.png")] }, User("x")),
            "messages[0].content"
        },
        {
            "a conversation of system messages only",
            Conversation(Message.FromText(ChatRole.System, "Be nice.")),
            "messages"
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void What_Gemini_cannot_take_is_refused_with_the_offending_message(string what, ChatRequest request, string param)
    {
        var error = WriteFails(request);
        Assert.True(param == error.Param, $"{what}: {error}");
    }

    [Fact]
    public void Files_go_inline_or_by_uri_with_their_type()
    {
        var request = Conversation(new Message
        {
            Role = ChatRole.User,
            Parts =
            [
                new FilePart { Data = "JVBERi0=", Filename = "report.pdf" },
                new FilePart { Url = "https://generativelanguage.googleapis.com/v1beta/files/abc", MediaType = "video/mp4" },
                new FilePart { Data = "SGVsbG8=", MediaType = "text/plain" },
            ],
        });

        JsonSemantic.Equal(
            """
            [{"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}},
             {"fileData":{"mimeType":"video/mp4","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc"}},
             {"inlineData":{"mimeType":"text/plain","data":"SGVsbG8="}}]
            """,
            Body(request).GetProperty("contents")[0].GetProperty("parts").GetRawText());
    }
}
