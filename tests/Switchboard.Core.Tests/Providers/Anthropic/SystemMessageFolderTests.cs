using Switchboard.Config;
using Switchboard.Http;

namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>Golden tests: an Anthropic body with mid-conversation system messages in → the exact folded body out.</summary>
public sealed class SystemMessageFolderTests
{
    private static string? Fold(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var output = new PooledBuffer(16);
        if (!SystemMessageFolder.TryFold(bytes, output)) return null;
        var result = Encoding.UTF8.GetString(output.Span);
        JsonDocument.Parse(result).Dispose(); // always valid JSON
        return result;
    }

    [Fact]
    public void A_system_message_after_a_user_turn_becomes_a_reminder_at_the_end_of_that_turn()
    {
        Assert.Equal(
            """{"model":"m","system":"top","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"text","text":"<system-reminder>\nBe \"brief\".\n</system-reminder>"}]},{"role":"assistant","content":"ok"}],"max_tokens":5}""",
            Fold("""{"model":"m","system":"top","messages":[{"role":"user","content":"hi"},{"role":"system","content":"Be \"brief\"."},{"role":"assistant","content":"ok"}],"max_tokens":5}"""));
    }

    [Fact]
    public void Block_content_keeps_its_blocks_and_cache_control()
    {
        Assert.Equal(
            """{"messages":[{"role":"user","content":[ {"type":"tool_result","tool_use_id":"t1","content":"x"},{"type":"text","text":"<system-reminder>\nA\n</system-reminder>","cache_control":{"type":"ephemeral"}},{"type":"text","text":"<system-reminder>\nB\n</system-reminder>"}]}]}""",
            Fold("""{"messages":[ {"role":"user","content":[ {"type":"tool_result","tool_use_id":"t1","content":"x"} ]}, {"role":"system","content":[{"type":"text","text":"A","cache_control":{"type":"ephemeral"}},{"type":"text","text":"B"}]} ]}"""));
    }

    [Fact]
    public void After_an_assistant_turn_it_goes_into_the_next_user_turn_behind_its_tool_results()
    {
        Assert.Equal(
            """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"},{"type":"text","text":"<system-reminder>\nS\n</system-reminder>"},{"type":"text","text":"c"}]}]}""",
            Fold("""{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"system","content":"S"},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"},{"type":"text","text":"c"}]}]}"""));
    }

    [Fact]
    public void With_no_user_turn_beside_it_it_becomes_a_user_turn_of_its_own()
    {
        Assert.Equal(
            """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":[{"type":"text","text":"<system-reminder>\nS1\n</system-reminder>"},{"type":"text","text":"<system-reminder>\nS2\n</system-reminder>"}]}]}""",
            Fold("""{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"system","content":"S1"},{"role":"system","content":"S2"}]}"""));
    }

    [Fact]
    public void The_Claude_Code_tool_turn_folds_into_a_valid_conversation()
    {
        var body = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "anthropic", "claude-code-tool-turn.json"));
        var folded = JsonDocument.Parse(Fold(body)!).RootElement;
        var original = JsonDocument.Parse(body).RootElement;
        var roles = folded.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()!).ToArray();
        Assert.Equal(["user", "assistant", "user"], roles);
        var reminder = folded.GetProperty("messages")[0].GetProperty("content")[1].GetProperty("text").GetString()!;
        Assert.Equal("<system-reminder>\n" + original.GetProperty("messages")[1].GetProperty("content").GetString() + "\n</system-reminder>", reminder);
        // Everything else is byte for byte what the client sent.
        Assert.Equal(original.GetProperty("system").GetRawText(), folded.GetProperty("system").GetRawText());
        Assert.Equal(original.GetProperty("messages")[3].GetRawText(), folded.GetProperty("messages")[2].GetRawText());
    }

    [Theory]
    [InlineData("""{"model":"m","system":"you are","messages":[{"role":"user","content":"system"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"say \"role\":\"system\""}]}""")]
    public void A_body_without_system_messages_is_not_rewritten(string body)
    {
        Assert.Null(Fold(body));
    }

    [Theory]
    [InlineData("""{"system":"x","messages":[{"role":"user","content":"hi"}]}""", false)]
    [InlineData("""{"messages":[{"role":"user","content":"the \"role\":\"system\" text"}]}""", false)]
    [InlineData("""{"messages":[{"role" : "system","content":"x"}]}""", true)]
    [InlineData("""{"messages":[{"role":"system","content":"x"}]}""", true)]
    public void The_quick_scan_finds_system_roles_only(string body, bool expected)
    {
        Assert.Equal(expected, SystemMessageFolder.MayContainSystemMessage(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("claude-opus-4-8", true)]
    [InlineData("claude-opus-4-8-20261101", true)]
    [InlineData("claude-opus-5", true)]
    [InlineData("claude-opus-4-5", false)]
    [InlineData("claude-opus-4-20250514", false)]
    [InlineData("claude-sonnet-4-5", false)]
    [InlineData("claude-haiku-4-5", false)]
    [InlineData("mock-anything", false)]
    public void The_model_family_decides_who_takes_system_messages(string model, bool takes)
    {
        Assert.Equal(takes, ClaudeModelFamilies.TakesMidConversationSystem(model));
        Assert.Equal(!takes, ClaudeModelFamilies.FoldsSystemMessages(new DeploymentConfig { Provider = "a", Model = model }));
    }

    [Fact]
    public void The_deployment_setting_overrides_the_family()
    {
        Assert.False(ClaudeModelFamilies.FoldsSystemMessages(new DeploymentConfig { Provider = "a", Model = "claude-sonnet-4-5", SystemMessages = SystemMessageHandling.Keep }));
        Assert.True(ClaudeModelFamilies.FoldsSystemMessages(new DeploymentConfig { Provider = "a", Model = "claude-opus-4-8", SystemMessages = SystemMessageHandling.Fold }));
    }
}
