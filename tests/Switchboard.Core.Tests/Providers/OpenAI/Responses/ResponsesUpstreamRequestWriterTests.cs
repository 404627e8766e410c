using System.Collections.Immutable;
using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

/// <summary><see cref="ResponsesRequestWriter"/>: canonical requests from every client dialect → a Responses body.</summary>
public sealed class ResponsesUpstreamRequestWriterTests
{
    private const string Encrypted = "gAAAAABpPMlcH0HHEv5_ozHwP5Gxz5ZLE7A8Aw7GK94sa1KWHqXLr";

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static JsonElement Write(ChatRequest request, string? model = "gpt-5-codex")
    {
        var result = ResponsesRequestWriter.WriteToUtf8Bytes(request, model);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        var root = JsonDocument.Parse(result.Value).RootElement.Clone();
        var names = root.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        return root;
    }

    private static ValidationError Refused(ChatRequest request)
    {
        var result = ResponsesRequestWriter.WriteToUtf8Bytes(request);
        Assert.False(result.IsSuccess);
        return result.Error;
    }

    private static ChatRequest Conversation(string dialect, params Message[] messages) =>
        new() { Model = "m", SourceDialect = dialect, Messages = [.. messages] };

    private static List<JsonElement> Input(JsonElement root) => [.. root.GetProperty("input").EnumerateArray()];

    private static ChatRequest ChatClientRequest() => new()
    {
        Model = "codex",
        SourceDialect = "openai-chat",
        Messages =
        [
            Message.FromText(ChatRole.System, "Be terse."),
            new Message
            {
                Role = ChatRole.User,
                Parts = [new TextPart("What is in these?"), ImagePart.FromUrl("https://example.com/a.png", "low"), ImagePart.FromData("iVBORw0KGgo=", "image/png")],
            },
            new Message { Role = ChatRole.Assistant, Parts = [new TextPart("Let me look."), new ToolCallPart("call_1", "lookup", """{"q":"a"}""")] },
            new Message { Role = ChatRole.Tool, Parts = [new ToolResultPart("call_1") { Content = [new TextPart("a cat")] }] },
            Message.FromText(ChatRole.System, "Answer in French."),
            Message.FromText(ChatRole.User, "So?"),
        ],
        Tools = [new FunctionTool("lookup") { Description = "Looks up", Parameters = Schema("""{"type":"object","properties":{"q":{"type":"string"}}}""") }],
        ToolChoice = ToolChoice.Function("lookup"),
        ParallelToolCalls = false,
        ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema, new JsonSchemaFormat("answer") { Schema = Schema("""{"type":"object"}"""), Strict = true }),
        Reasoning = new ReasoningOptions { Effort = "high" },
        MaxOutputTokens = 500,
        Temperature = 0.5,
        TopP = 0.9,
        Stream = true,
        Metadata = ImmutableDictionary<string, string>.Empty.Add("team", "a"),
        Extensions = [new ExtensionField("service_tier", Schema("\"flex\""))],
    };

    [Fact]
    public void A_chat_conversation_becomes_instructions_and_input_items()
    {
        var root = Write(ChatClientRequest());

        Assert.Equal("gpt-5-codex", root.GetProperty("model").GetString());
        Assert.Equal("Be terse.", root.GetProperty("instructions").GetString());
        var input = Input(root);
        Assert.Equal(
            ["message:user", "message:assistant", "function_call:", "function_call_output:", "message:system", "message:user"],
            input.Select(i => $"{i.GetProperty("type").GetString()}:{(i.TryGetProperty("role", out var r) ? r.GetString() : "")}"));

        var user = input[0].GetProperty("content");
        Assert.Equal(["input_text", "input_image", "input_image"], user.EnumerateArray().Select(p => p.GetProperty("type").GetString()));
        Assert.Equal(("https://example.com/a.png", "low"), (user[1].GetProperty("image_url").GetString(), user[1].GetProperty("detail").GetString()));
        Assert.Equal(("data:image/png;base64,iVBORw0KGgo=", "auto"), (user[2].GetProperty("image_url").GetString(), user[2].GetProperty("detail").GetString()));

        var said = input[1].GetProperty("content")[0];
        Assert.Equal(("output_text", "Let me look."), (said.GetProperty("type").GetString(), said.GetProperty("text").GetString()));
        Assert.Equal(("call_1", "lookup", """{"q":"a"}"""),
            (input[2].GetProperty("call_id").GetString(), input[2].GetProperty("name").GetString(), input[2].GetProperty("arguments").GetString()));
        Assert.Equal(("call_1", "a cat"), (input[3].GetProperty("call_id").GetString(), input[3].GetProperty("output").GetString()));
        Assert.Equal("Answer in French.", input[4].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Options_take_their_Responses_places_and_store_is_off()
    {
        var root = Write(ChatClientRequest());

        var tool = Assert.Single(root.GetProperty("tools").EnumerateArray());
        Assert.Equal(("function", "lookup", "Looks up", false), (tool.GetProperty("type").GetString(), tool.GetProperty("name").GetString(),
            tool.GetProperty("description").GetString(), tool.GetProperty("strict").GetBoolean()));
        Assert.Equal("object", tool.GetProperty("parameters").GetProperty("type").GetString());
        Assert.False(tool.TryGetProperty("function", out _));
        Assert.Equal("""{"type":"function","name":"lookup"}""", root.GetProperty("tool_choice").GetRawText());
        Assert.False(root.GetProperty("parallel_tool_calls").GetBoolean());
        var format = root.GetProperty("text").GetProperty("format");
        Assert.Equal(("json_schema", "answer", true), (format.GetProperty("type").GetString(), format.GetProperty("name").GetString(), format.GetProperty("strict").GetBoolean()));
        Assert.Equal("""{"effort":"high","summary":"auto"}""", root.GetProperty("reasoning").GetRawText());
        Assert.Equal("""["reasoning.encrypted_content"]""", root.GetProperty("include").GetRawText());
        Assert.Equal((500, 0.5, 0.9, true), (root.GetProperty("max_output_tokens").GetInt32(), root.GetProperty("temperature").GetDouble(),
            root.GetProperty("top_p").GetDouble(), root.GetProperty("stream").GetBoolean()));
        Assert.Equal("a", root.GetProperty("metadata").GetProperty("team").GetString());
        Assert.False(root.GetProperty("store").GetBoolean());
        // Another dialect's extension members are in its terms, not the Responses API's.
        Assert.False(root.TryGetProperty("service_tier", out _));
    }

    [Fact]
    public void Only_OpenAI_encrypted_reasoning_goes_back_as_a_reasoning_item()
    {
        ContentPart[] said =
        [
            new ThinkingPart("Claude thought", "EqQBCkgIARABGAIiQL"),
            new RedactedThinkingPart("EmwKAhgBEgy"),
            new ThinkingPart("plain reasoning_content"),
            new ThinkingPart("**Planning**", Encrypted),
            new TextPart("Hello"),
        ];
        var root = Write(Conversation("anthropic-messages",
            Message.FromText(ChatRole.User, "Hi"), new Message { Role = ChatRole.Assistant, Parts = [.. said] }, Message.FromText(ChatRole.User, "Again")));

        var input = Input(root);
        Assert.Equal(["message", "reasoning", "message", "message"], input.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("""{"type":"reasoning","summary":[{"type":"summary_text","text":"**Planning**"}],"encrypted_content":"gAAAAABpPMlcH0HHEv5_ozHwP5Gxz5ZLE7A8Aw7GK94sa1KWHqXLr"}""",
            input[1].GetRawText());
        Assert.Equal("""["reasoning.encrypted_content"]""", root.GetProperty("include").GetRawText());
    }

    [Fact]
    public void Custom_tools_and_their_calls_keep_the_custom_form()
    {
        var call = new ToolCallPart("call_p", "apply_patch", "*** Begin Patch") { Kind = ToolCallKind.Custom };
        var chatTool = new ProviderTool("openai-chat", "custom", Schema("""{"type":"custom","custom":{"name":"apply_patch","description":"Patches","format":{"type":"text"}}}"""));
        var root = Write(Conversation("openai-chat",
            Message.FromText(ChatRole.User, "Patch it"),
            new Message { Role = ChatRole.Assistant, Parts = [call] },
            new Message { Role = ChatRole.Tool, Parts = [new ToolResultPart("call_p") { Content = [new TextPart("Done")] }] }) with { Tools = [chatTool] });

        Assert.Equal("""{"type":"custom","name":"apply_patch","description":"Patches","format":{"type":"text"}}""", root.GetProperty("tools")[0].GetRawText());
        var input = Input(root);
        Assert.Equal("""{"type":"custom_tool_call","call_id":"call_p","name":"apply_patch","input":"*** Begin Patch"}""", input[1].GetRawText());
        Assert.Equal("""{"type":"custom_tool_call_output","call_id":"call_p","output":"Done"}""", input[2].GetRawText());
    }

    [Fact]
    public void Calls_without_ids_get_ids_their_results_answer_by_name()
    {
        var results = new Message { Role = ChatRole.User, Parts = [new ToolResultPart(null) { Name = "time", Content = [new TextPart("noon")] }, new ToolResultPart(null) { Name = "weather", Content = [new TextPart("sun")] }] };
        var root = Write(Conversation("gemini",
            Message.FromText(ChatRole.User, "Weather?"),
            new Message { Role = ChatRole.Assistant, Parts = [new ToolCallPart(null, "weather", "{}"), new ToolCallPart(null, "time", "{}")] },
            results));

        var input = Input(root);
        var calls = input.Where(i => i.GetProperty("type").GetString() == "function_call").ToDictionary(i => i.GetProperty("name").GetString()!, i => i.GetProperty("call_id").GetString());
        var outputs = input.Where(i => i.GetProperty("type").GetString() == "function_call_output").ToList();
        Assert.Equal(2, calls.Values.Distinct().Count());
        Assert.Equal((calls["time"], "noon"), (outputs[0].GetProperty("call_id").GetString(), outputs[0].GetProperty("output").GetString()));
        Assert.Equal((calls["weather"], "sun"), (outputs[1].GetProperty("call_id").GetString(), outputs[1].GetProperty("output").GetString()));
    }

    [Fact]
    public void A_Responses_request_gets_its_own_extensions_back_without_duplicates()
    {
        var root = Write(new ChatRequest
        {
            Model = "m",
            SourceDialect = ResponsesDialect.Name,
            Messages = [Message.FromText(ChatRole.User, "Hi")],
            Tools = [new ProviderTool(ResponsesDialect.Name, "web_search", Schema("""{"type":"web_search"}"""))],
            Reasoning = new ReasoningOptions { Effort = "low" },
            Extensions =
            [
                new ExtensionField("store", Schema("true")),
                new ExtensionField("include", Schema("""["web_search_call.action.sources"]""")),
                new ExtensionField("prompt_cache_key", Schema("\"k1\"")),
            ],
        });

        Assert.True(root.GetProperty("store").GetBoolean());
        Assert.Equal("""["web_search_call.action.sources"]""", root.GetProperty("include").GetRawText());
        Assert.Equal("k1", root.GetProperty("prompt_cache_key").GetString());
        Assert.Equal("""{"type":"web_search"}""", root.GetProperty("tools")[0].GetRawText());
    }

    [Fact]
    public void A_thinking_budget_becomes_the_nearest_effort_and_foreign_hosted_tools_are_left_out()
    {
        var root = Write(new ChatRequest
        {
            Model = "m",
            SourceDialect = "anthropic-messages",
            Messages = [Message.FromText(ChatRole.User, "Hi")],
            Reasoning = new ReasoningOptions { BudgetTokens = 10000, Enabled = true },
            Tools = [new ProviderTool("anthropic-messages", "web_search_20250305", Schema("""{"type":"web_search_20250305","name":"web_search"}"""))],
            TopK = 5,
            Seed = 3,
        });

        Assert.Equal(ReasoningEfforts.FromBudget(10000), root.GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.False(root.TryGetProperty("tools", out _));
        Assert.False(root.TryGetProperty("top_k", out _));
        Assert.False(root.TryGetProperty("seed", out _));
        Assert.False(root.TryGetProperty("instructions", out _));
    }

    [Fact]
    public void Files_go_as_input_file_by_id_url_or_data()
    {
        var root = Write(new ChatRequest
        {
            Model = "m",
            Messages =
            [
                new Message
                {
                    Role = ChatRole.User,
                    Parts =
                    [
                        new FilePart { FileId = "file-1" },
                        new FilePart { Url = "https://example.com/a.pdf" },
                        new FilePart { Data = "JVBERi0=", MediaType = "application/pdf", Filename = "a.pdf" },
                    ],
                },
            ],
        });

        var content = Input(root)[0].GetProperty("content");
        Assert.Equal("""{"type":"input_file","file_id":"file-1"}""", content[0].GetRawText());
        Assert.Equal("""{"type":"input_file","file_url":"https://example.com/a.pdf"}""", content[1].GetRawText());
        Assert.Equal("""{"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}""", content[2].GetRawText());
    }

    [Fact]
    public void What_the_Responses_API_cannot_do_is_refused_naming_the_parameter()
    {
        var basic = new ChatRequest { Model = "m", Messages = [Message.FromText(ChatRole.User, "Hi")] };

        Assert.Equal("n", Refused(basic with { N = 2 }).Param);
        Assert.Equal("stop", Refused(basic with { StopSequences = ["END"] }).Param);
        Assert.Equal("logprobs", Refused(basic with { Logprobs = true }).Param);
        Assert.Equal("messages", Refused(basic with { Messages = [new Message { Role = ChatRole.User, Parts = [new AudioPart("UklGRg==", "wav")] }] }).Param);
        Assert.Equal("messages", Refused(basic with
        {
            Messages = [Message.FromText(ChatRole.User, "Hi"), new Message { Role = ChatRole.Tool, Parts = [new ToolResultPart(null) { Name = "never_called" }] }],
        }).Param);
    }
}
