using System.Collections.Immutable;

namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>How the writer adapts requests from other dialects: tool choice, thinking, max_tokens,
/// sampling, JSON mode, documents, ids.</summary>
public sealed class AnthropicRequestWriterTests
{
    private static JsonElement Body(string openAIRequest, AnthropicWriteOptions? options = null) =>
        Body(Canon.Request(openAIRequest), options);

    private static JsonElement Body(ChatRequest request, AnthropicWriteOptions? options = null, string? upstreamModel = null) =>
        JsonDocument.Parse(AnthropicRequestRoundTripTests.Write(request, upstreamModel, options)).RootElement;

    private static string Request(string model, string extra = "", string messages = """{"role":"user","content":"hi"}""") =>
        $$"""{"model":"{{model}}","messages":[{{messages}}]{{extra}}}""";

    private const string Tools = ""","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]""";

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", """{"type":"tool","name":"f"}""")]
    [InlineData("""{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[]}}""", """{"type":"auto"}""")]
    public void Tool_choice_maps_to_Anthropic_words(string openAI, string anthropic)
    {
        var body = Body(Request("claude-sonnet-4-5", Tools + $$""","tool_choice":{{openAI}}"""));
        JsonSemantic.Equal(anthropic, body.GetProperty("tool_choice").GetRawText());
    }

    [Fact]
    public void Parallel_tool_calls_off_without_a_choice_becomes_auto_without_parallel_use()
    {
        var body = Body(Request("claude-sonnet-4-5", Tools + ""","parallel_tool_calls":false"""));
        JsonSemantic.Equal("""{"type":"auto","disable_parallel_tool_use":true}""", body.GetProperty("tool_choice").GetRawText());
        Assert.False(Body(Request("claude-sonnet-4-5", ""","tool_choice":"auto","parallel_tool_calls":false""")).TryGetProperty("tool_choice", out _));
    }

    [Theory]
    [InlineData("claude-opus-4-1-20250805", 32000)]
    [InlineData("claude-opus-4-20250514", 32000)]
    [InlineData("claude-sonnet-4-20250514", 64000)]
    [InlineData("claude-opus-4-7", 64000)]
    [InlineData("claude-haiku-4-5", 64000)]
    [InlineData("claude-3-7-sonnet-latest", 64000)]
    [InlineData("claude-3-5-sonnet-20241022", 8192)]
    [InlineData("claude-3-5-haiku-latest", 8192)]
    [InlineData("claude-3-haiku-20240307", 4096)]
    [InlineData("claude-3-opus-20240229", 4096)]
    [InlineData("anthropic.claude-3-5-sonnet-20240620-v1:0", 8192)]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", 64000)]
    [InlineData("claude-sonnet-4@20250514", 64000)]
    [InlineData("my-private-model", 4096)]
    public void Default_max_tokens_follows_the_model_family(string model, int expected)
    {
        Assert.Equal(expected, AnthropicModelInfo.DefaultMaxTokens(model));
        Assert.Equal(expected, Body(Request(model)).GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Default_max_tokens_can_be_set_and_the_clients_cap_wins()
    {
        Assert.Equal(1000, Body(Request("claude-sonnet-4-5"), new AnthropicWriteOptions { DefaultMaxTokens = 1000 }).GetProperty("max_tokens").GetInt32());
        Assert.Equal(77, Body(Request("claude-sonnet-4-5", ""","max_tokens":77""")).GetProperty("max_tokens").GetInt32());
        // The upstream model decides the default, not the client's alias.
        Assert.Equal(4096, Body(Canon.Request(Request("smart")), upstreamModel: "claude-3-haiku-20240307").GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "minimal", 64000, """{"type":"enabled","budget_tokens":1024}""")]
    [InlineData("claude-sonnet-4-5", "low", 64000, """{"type":"enabled","budget_tokens":2048}""")]
    [InlineData("claude-opus-4-1", "xhigh", 32000, """{"type":"enabled","budget_tokens":24000}""")]
    [InlineData("claude-sonnet-4-6", "low", 64000, """{"type":"adaptive"}""")]
    [InlineData("claude-sonnet-4-6", "none", 64000, null)]
    [InlineData("claude-3-5-sonnet-latest", "high", 8192, null)]
    public void Reasoning_effort_becomes_thinking(string model, string effort, int maxTokens, string? thinking)
    {
        var body = Body(Request(model, $$""","reasoning_effort":"{{effort}}" """));
        Assert.Equal(maxTokens, body.GetProperty("max_tokens").GetInt32());
        if (thinking is null)
        {
            Assert.False(body.TryGetProperty("thinking", out _));
        }
        else
        {
            JsonSemantic.Equal(thinking, body.GetProperty("thinking").GetRawText());
        }
    }

    [Theory]
    [InlineData("claude-sonnet-4-6", "xhigh", "high")]
    [InlineData("claude-opus-4-7", "xhigh", "max")]
    [InlineData("claude-opus-4-7", "minimal", "low")]
    [InlineData("claude-opus-4-7", "medium", "medium")]
    public void Adaptive_models_get_the_effort_in_output_config(string model, string effort, string expected)
    {
        var body = Body(Request(model, $$""","reasoning_effort":"{{effort}}" """));
        Assert.Equal(expected, body.GetProperty("output_config").GetProperty("effort").GetString());
    }

    [Fact]
    public void Budgets_from_other_dialects_are_kept_above_the_minimum_and_below_max_tokens()
    {
        ChatRequest WithBudget(int budget, int? max) => Canon.Request(Request("claude-sonnet-4-5")) with
        {
            SourceDialect = "gemini",
            Reasoning = new ReasoningOptions { BudgetTokens = budget },
            MaxOutputTokens = max,
        };
        Assert.Equal(1024, Body(WithBudget(100, null)).GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        Assert.Equal(5000, Body(WithBudget(5000, 6000)).GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        Assert.Equal(4500, Body(WithBudget(9000, 6000)).GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        // A cap too small for the minimum budget plus an answer: no thinking.
        Assert.False(Body(WithBudget(9000, 1200)).TryGetProperty("thinking", out _));
        Assert.False(Body(WithBudget(0, null)).TryGetProperty("thinking", out _));
    }

    [Fact]
    public void Thinking_is_left_off_with_a_forced_tool_choice_and_sampling_is_trimmed_with_it_on()
    {
        var forced = Body(Request("claude-sonnet-4-5", Tools + ""","tool_choice":"required","reasoning_effort":"high","temperature":0.5"""));
        Assert.False(forced.TryGetProperty("thinking", out _));
        Assert.Equal(0.5, forced.GetProperty("temperature").GetDouble());

        var thinking = Body(Request("claude-sonnet-4", ""","reasoning_effort":"low","temperature":1,"top_p":0.5,"top_k":5"""));
        Assert.Equal(1, thinking.GetProperty("temperature").GetDouble());
        Assert.False(thinking.TryGetProperty("top_p", out _));
        Assert.False(thinking.TryGetProperty("top_k", out _));
    }

    [Theory]
    [InlineData("claude-3-5-haiku-latest", true)]
    [InlineData("claude-opus-4-1", false)]
    [InlineData("claude-haiku-4-5", false)]
    public void Temperature_with_top_p_from_another_api_keeps_temperature_for_models_that_refuse_both(string model, bool takesBoth)
    {
        // An OpenAI (or Gemini) client may send both; the models that refuse the pair get temperature only (the
        // adjustment is named in x-switchboard-adjusted; an Anthropic client's own pair is refused as the API does).
        var body = Body(Request(model, ""","temperature":0.7,"top_p":0.9"""));
        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble());
        Assert.Equal(takesBoth, body.TryGetProperty("top_p", out _));
        Assert.Equal(0.9, Body(Request(model, ""","top_p":0.9""")).GetProperty("top_p").GetDouble());
    }

    [Theory]
    [InlineData("json_object", """{"type":"json_object"}""", "low")]
    [InlineData("json_schema", """{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}}""", "high")]
    public void Json_mode_with_thinking_is_refused_naming_both(string format, string responseFormat, string effort)
    {
        // Forced, the answer tool cannot go with thinking; unforced, the model may answer in plain text, which a
        // json_schema client would get as its answer. Refused, so another deployment or the client can choose.
        var request = Canon.Request(Request("claude-sonnet-4-5", $$""","response_format":{{responseFormat}},"reasoning_effort":"{{effort}}" """));
        var error = AnthropicMessagesRequestWriter.Write(request, new System.Buffers.ArrayBufferWriter<byte>());
        Assert.NotNull(error);
        Assert.Equal("reasoning_effort", error.Param);
        Assert.Contains("cannot be combined with reasoning_effort", error.Message, StringComparison.Ordinal);
        Assert.Contains($"JSON output ({format})", error.Message, StringComparison.Ordinal);
        // Without thinking (a model that has none) the answer tool is forced as before.
        var haiku = Body(Request("claude-3-5-haiku-latest", ""","response_format":{"type":"json_object"},"reasoning_effort":"low" """));
        JsonSemantic.Equal("""{"type":"tool","name":"json_response"}""", haiku.GetProperty("tool_choice").GetRawText());
    }

    [Fact]
    public void Json_mode_forces_the_answer_tool()
    {
        var named = Body(Request("claude-sonnet-4-5", Tools + ""","tool_choice":{"type":"function","function":{"name":"f"}},"response_format":{"type":"json_object"}"""));
        JsonSemantic.Equal("""{"type":"tool","name":"f"}""", named.GetProperty("tool_choice").GetRawText());
        var custom = Body(Request("claude-sonnet-4-5", ""","response_format":{"type":"json_object"}"""), new AnthropicWriteOptions { JsonToolName = "answer" });
        JsonSemantic.Equal("""{"type":"tool","name":"answer"}""", custom.GetProperty("tool_choice").GetRawText());
        Assert.False(Body(Request("claude-sonnet-4-5", ""","response_format":{"type":"text"}""")).TryGetProperty("tools", out _));
    }

    [Fact]
    public void Files_become_documents_or_images()
    {
        var body = Body(Request("claude-sonnet-4-5", messages: """
            {"role":"user","content":[
              {"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0="}},
              {"type":"file","file":{"file_data":"data:text/plain;base64,aGVsbG8gd29ybGQ="}},
              {"type":"file","file":{"file_data":"data:image/jpeg;base64,/9j/4AAQ"}},
              {"type":"file","file":{"file_id":"file-abc"}},
              {"type":"file","file":{"file_data":"JVBERi0="}}]}
            """));
        JsonSemantic.Equal("""
            [
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"report.pdf"},
              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"hello world"}},
              {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
              {"type":"document","source":{"type":"file","file_id":"file-abc"}},
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}
            ]
            """, body.GetProperty("messages")[0].GetProperty("content").GetRawText());
    }

    [Fact]
    public void Calls_without_ids_get_ids_their_results_share()
    {
        var request = new ChatRequest
        {
            Model = "claude-sonnet-4-5",
            SourceDialect = "gemini",
            Messages =
            [
                Message.FromText(ChatRole.User, "weather?"),
                new Message { Role = ChatRole.Assistant, Parts = [new ToolCallPart(null, "weather", """{"city":"Oslo"}"""), new ToolCallPart(null, "weather", """{"city":"Bergen"}""")] },
                new Message
                {
                    Role = ChatRole.User,
                    Parts = [new ToolResultPart(null) { Name = "weather", Content = [new TextPart("sunny")] }, new ToolResultPart(null) { Name = "weather", Content = [new TextPart("rain")] }],
                },
            ],
        };
        var messages = Body(request).GetProperty("messages");
        var calls = messages[1].GetProperty("content").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        var results = messages[2].GetProperty("content").EnumerateArray().Select(c => c.GetProperty("tool_use_id").GetString()).ToList();
        Assert.Equal(calls, results);
        Assert.Equal(2, calls.Distinct().Count());
        Assert.All(calls, id => Assert.StartsWith("toolu_", id));
    }

    [Fact]
    public void Requests_built_in_code_keep_their_extensions_but_are_adapted()
    {
        var request = new ChatRequest
        {
            Model = "claude-sonnet-4-5",
            Messages = [Message.FromText(ChatRole.User, "hi"), Message.FromText(ChatRole.User, "again")],
            Extensions = [new ExtensionField("service_tier", JsonDocument.Parse("\"standard_only\"").RootElement)],
        };
        var body = Body(request);
        Assert.Equal("standard_only", body.GetProperty("service_tier").GetString());
        Assert.Equal(1, body.GetProperty("messages").GetArrayLength());
        Assert.Equal(64000, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void An_Anthropic_clients_unusual_thinking_object_goes_back_as_sent()
    {
        var json = """{"model":"claude-sonnet-4-5","max_tokens":5000,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":2000,"display":"summarized"}}""";
        var request = AnthropicRequestRoundTripTests.Read(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal(new ReasoningOptions { Enabled = true, BudgetTokens = 2000 }, request.Reasoning);
        JsonSemantic.Equal(json, Canon.Utf8(AnthropicRequestRoundTripTests.Write(request)));
    }

    [Fact]
    public void Unsigned_thinking_and_empty_text_are_dropped_from_foreign_history_but_signed_thinking_kept()
    {
        var request = new ChatRequest
        {
            Model = "claude-sonnet-4-5",
            SourceDialect = "openai-chat",
            Messages =
            [
                Message.FromText(ChatRole.User, "q"),
                new Message { Role = ChatRole.Assistant, Parts = [new ThinkingPart("plain"), new ThinkingPart("signed", "sig"), new TextPart(""), new RefusalPart("I can't.")] },
                new Message { Role = ChatRole.Assistant, Parts = [new ThinkingPart("only unsigned")] },
                Message.FromText(ChatRole.User, "ok"),
            ],
            Tools = ImmutableArray<ToolDefinition>.Empty,
        };
        var messages = Body(request).GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        JsonSemantic.Equal(
            """[{"type":"thinking","thinking":"signed","signature":"sig"},{"type":"text","text":"I can't."}]""",
            messages[1].GetProperty("content").GetRawText());
    }

    [Fact]
    public void An_Anthropic_client_echoing_unsigned_reasoning_of_another_provider_does_not_send_it_to_Anthropic()
    {
        var json = """
            {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[
              {"role":"user","content":"q"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"deepseek reasoning","signature":""},{"type":"text","text":"a"}]},
              {"role":"user","content":"more"}]}
            """;
        var messages = Body(AnthropicRequestRoundTripTests.Read(System.Text.Encoding.UTF8.GetBytes(json))).GetProperty("messages");
        JsonSemantic.Equal("""[{"type":"text","text":"a"}]""", messages[1].GetProperty("content").GetRawText());
    }
}
