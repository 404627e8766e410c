namespace Switchboard.MockUpstream.Tests;

/// <summary>
/// What Claude Code sends: mid-conversation <c>role: system</c> messages (accepted by Claude Opus 4.8 and later, right
/// after a user turn; refused by older models) and deferred tools (<c>defer_loading</c>), which the model never calls.
/// </summary>
public sealed class AnthropicMidConversationTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private readonly MockHost _mock = fixture.Host;

    [Fact]
    public async Task Opus_4_8_takes_a_system_message_after_a_user_turn()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-opus-4-8','max_tokens':100,'messages':[{'role':'user','content':'hello there'},{'role':'system','content':[{'type':'text','text':'Be brief.','cache_control':{'type':'ephemeral'}}]}]}"));
        Assert.Equal("Echo: hello there", m.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Older_models_refuse_a_system_message()
    {
        var response = await _mock.AnthropicAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'messages':[{'role':'user','content':'hi'},{'role':'system','content':'Be brief.'}]}"));
        await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error", "messages: Unexpected role \"system\". Use the top-level system parameter.");
    }

    [Fact]
    public async Task A_system_message_must_follow_a_user_turn()
    {
        var response = await _mock.AnthropicAsync(J("{'model':'claude-opus-4-8','max_tokens':100,'messages':[{'role':'user','content':'hi'},{'role':'assistant','content':'ok'},{'role':'system','content':'x'},{'role':'user','content':'go'}]}"));
        await ProviderWire.AssertAnthropicErrorAsync(response, 400, "invalid_request_error", "messages.2: a \"system\" message must directly follow a \"user\" message");
    }

    [Fact]
    public async Task A_deferred_tool_is_never_called()
    {
        var m = await _mock.AnthropicJsonAsync(J("{'model':'claude-sonnet-4-5','max_tokens':100,'tools':[{'name':'Placeholder','input_schema':{'type':'object','properties':{}},'defer_loading':true},{'name':'Read','input_schema':{'type':'object','properties':{'file_path':{'type':'string'}},'required':['file_path']}}],'messages':[{'role':'user','content':'read it'}]}"));
        Assert.Equal("Read", m.GetProperty("content")[0].GetProperty("name").GetString());
    }
}
