namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>What the canonical model holds after reading Anthropic requests, and what other dialects'
/// writers make of it.</summary>
public sealed class AnthropicRequestReaderFactsTests
{
    private static ChatRequest Fixture(string name) =>
        AnthropicRequestRoundTripTests.Read(LocalFixtures.Bytes($"anthropic/requests/{name}.json"));

    [Fact]
    public void Claude_Code_turn_is_read_into_neutral_terms()
    {
        var request = Fixture("claude-code-agent-turn");
        Assert.Equal(AnthropicMessagesDialect.Name, request.SourceDialect);
        Assert.Equal((32000, true), (request.MaxOutputTokens, request.IsStreaming));
        Assert.Equal(new ReasoningOptions { Enabled = true, BudgetTokens = 31999 }, request.Reasoning);
        Assert.Equal("user_2f8a_account__session_9c1e", request.User);
        Assert.Equal(ToolChoice.Auto, request.ToolChoice);

        var system = request.Messages[0];
        Assert.Equal((ChatRole.System, ContentForm.Parts, 2), (system.Role, system.Form, system.Parts.Length));
        Assert.Equal(new CacheControl("ephemeral", "1h"), system.Parts[1].CacheControl);

        var assistant = request.Messages[2];
        Assert.Equal(ChatRole.Assistant, assistant.Role);
        var thinking = Assert.IsType<ThinkingPart>(assistant.Parts[0]);
        Assert.StartsWith("ErUBCkYIBRgC", thinking.Signature);
        var call = Assert.IsType<ToolCallPart>(assistant.Parts[2]);
        Assert.Equal(("toolu_01A09q90qw90lq917835lq9", "Bash"), (call.Id, call.Name));
        JsonSemantic.Equal("""{"command":"dotnet build","description":"Build the solution","timeout":120000}""", call.Arguments);

        // Tool results stay in their user turn, named after the call they answer.
        var results = request.Messages[3];
        Assert.Equal(ChatRole.User, results.Role);
        var result = Assert.IsType<ToolResultPart>(results.Parts[0]);
        Assert.Equal(("toolu_01A09q90qw90lq917835lq9", "Bash", true, ContentForm.Text), (result.ToolCallId, result.Name, result.IsError, result.Form));
        Assert.IsType<TextPart>(results.Parts[1]);

        var redacted = request.Messages[4];
        Assert.IsType<RedactedThinkingPart>(redacted.Parts[0]);
        Assert.Equal("caller", Assert.Single(redacted.Parts[2].Extensions).Name);

        var nested = Assert.IsType<ToolResultPart>(request.Messages[5].Parts[0]);
        Assert.IsType<ImagePart>(nested.Content[1]);
        Assert.Equal("https://example.com/diagram.png", ((ImagePart)nested.Content[1]).Url);

        Assert.Equal(4, request.Tools.Length);
        var grep = Assert.IsType<FunctionTool>(request.Tools[2]);
        Assert.Equal(CacheControl.Ephemeral, grep.CacheControl);
        Assert.Equal(["defer_loading", "input_examples"], grep.Extensions.Select(e => e.Name));
        var search = Assert.IsType<ProviderTool>(request.Tools[3]);
        Assert.Equal((AnthropicMessagesDialect.Name, "web_search_20250305"), (search.Dialect, search.Type));
        Assert.Equal(["context_management"], request.Extensions.Select(e => e.Name));
    }

    [Fact]
    public void Documents_server_blocks_and_adaptive_effort_are_read()
    {
        var request = Fixture("adaptive-documents-server-tools");
        Assert.Equal(new ReasoningOptions { Enabled = true, Effort = ReasoningEfforts.XHigh }, request.Reasoning);
        Assert.Equal((ToolChoiceMode.Required, false), (request.ToolChoice!.Mode, request.ParallelToolCalls));
        Assert.Equal(["\n\nHuman:", "END"], request.StopSequences.ToArray());
        Assert.Equal((0.97, 40), (request.TopP!.Value, request.TopK!.Value));
        Assert.Equal(["output_config", "service_tier", "container", "mcp_servers", "inference_geo"], request.Extensions.Select(e => e.Name));

        var system = request.Messages[0];
        Assert.Equal(ContentForm.Text, system.Form);
        var parts = request.Messages[1].Parts;
        var pdf = Assert.IsType<FilePart>(parts[0]);
        Assert.Equal(("application/pdf", "Annual report"), (pdf.MediaType, pdf.Filename));
        Assert.Equal(["context", "citations"], pdf.Extensions.Select(e => e.Name));
        var text = Assert.IsType<FilePart>(parts[1]);
        Assert.Equal("text/plain", text.MediaType);
        Assert.Equal("Revenue grew 12% — mostly in Q4.", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text.Data!)));
        Assert.Equal("https://example.com/appendix.pdf", Assert.IsType<FilePart>(parts[2]).Url);
        Assert.Equal("file_011CNha8iCJcU1wXNR6q4V8w", Assert.IsType<FilePart>(parts[3]).FileId);
        Assert.Equal(["document", "image", "search_result", "container_upload"], parts.Skip(4).Take(4).Select(p => Assert.IsType<ProviderPart>(p).Type));

        var answer = request.Messages[2].Parts;
        Assert.Equal(["server_tool_use", "web_search_tool_result"], answer.Take(2).Select(p => ((ProviderPart)p).Type));
        Assert.Equal("citations", Assert.Single(answer[2].Extensions).Name);

        var lookup = Assert.IsType<FunctionTool>(request.Tools[2]);
        Assert.Equal((true, "type"), (lookup.Strict!.Value, Assert.Single(lookup.Extensions).Name));
    }

    [Fact]
    public void Raw_controls_keep_their_neutral_meaning_for_other_dialects()
    {
        var request = Fixture("raw-controls");
        Assert.Equal(ToolChoice.Function("noop"), request.ToolChoice);
        Assert.True(request.ParallelToolCalls);
        Assert.Equal(new ReasoningOptions { Enabled = false }, request.Reasoning);
        Assert.Null(request.User);
        Assert.Equal(["tool_choice", "metadata"], request.Extensions.Select(e => e.Name));
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.User, ChatRole.Assistant], request.Messages.Select(m => m.Role));
    }

    [Fact]
    public void Claude_Code_turn_can_be_sent_to_an_OpenAI_upstream()
    {
        var request = Fixture("claude-code-agent-turn");
        var body = Canon.Utf8(OpenAIChatRequestWriter.WriteToUtf8Bytes(request, "o4-mini"));
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var messages = root.GetProperty("messages").EnumerateArray().ToList();

        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        var toolMessages = messages.Where(m => m.GetProperty("role").GetString() == "tool").ToList();
        Assert.Equal(["toolu_01A09q90qw90lq917835lq9", "toolu_02B", "toolu_03C", "toolu_04D"], toolMessages.Select(m => m.GetProperty("tool_call_id").GetString()));
        var firstCall = messages[2].GetProperty("tool_calls")[0];
        Assert.Equal("Bash", firstCall.GetProperty("function").GetProperty("name").GetString());
        Assert.Contains("thinking_blocks", messages[2].EnumerateObject().Select(p => p.Name));
        // Anthropic's own tool and members have no OpenAI form.
        Assert.Equal(3, root.GetProperty("tools").GetArrayLength());
        Assert.False(root.TryGetProperty("context_management", out _));
        // budget 31999 → the nearest OpenAI effort.
        Assert.Equal("high", OpenAIChatRequestWriterEffort(root));
        Assert.Equal(32000, root.GetProperty("max_completion_tokens").GetInt32());
    }

    private static string? OpenAIChatRequestWriterEffort(JsonElement root) =>
        root.TryGetProperty("reasoning_effort", out var effort) ? effort.GetString() : null;

    [Fact]
    public void Count_tokens_bodies_have_no_max_tokens_and_go_back_without_it()
    {
        var body = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"system":"s"}"""u8.ToArray();
        Assert.False(AnthropicMessagesRequestReader.Read(body).IsSuccess);
        var result = AnthropicMessagesRequestReader.ReadCountTokens(body);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        JsonSemantic.Equal(Canon.Utf8(body), Canon.Utf8(AnthropicRequestRoundTripTests.Write(result.Value)));
    }
}
