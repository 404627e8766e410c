using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

/// <summary>
/// The top-level members and item shapes Codex CLI 0.171.0 sends on its second turn (seen against a logging server;
/// texts shortened): the reader takes them all, keeps what it has no field for raw, and refuses nothing.
/// </summary>
public class CodexRequestShapeTests
{
    private const string SecondTurn = """
        {"model":"cx-chat","stream":true,"tool_choice":"auto","parallel_tool_calls":true,"reasoning":{"summary":"auto"},
         "store":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"01a24c6a-534a",
         "client_metadata":{"turn_id":"01a24c6a-54ec","x-codex-installation-id":"dd3512de","thread_id":"01a24c6a-534a"},
         "instructions":null,
         "tools":[
           {"type":"function","name":"exec_command","description":"Runs a command.","strict":false,
            "parameters":{"type":"object","properties":{"cmd":{"type":"string"}},"required":["cmd"],"additionalProperties":false}},
           {"type":"namespace","name":"multi_agent_v1","description":"Sub-agents.","tools":[
             {"type":"function","name":"close_agent","description":"Close.","strict":false,"parameters":{"type":"object","properties":{}}}]},
           {"type":"web_search","external_web_access":false}],
         "input":[
           {"type":"message","id":"msg_f3648973","role":"developer","content":[{"type":"input_text","text":"You are Codex."}]},
           {"type":"message","id":"msg_01a24c72","role":"user","content":[{"type":"input_text","text":"Run the sample script"}]},
           {"type":"function_call","status":"completed","id":"fc_RUv1","name":"exec_command","arguments":"{\"cmd\":\"sample\"}","call_id":"call_H7B"},
           {"type":"function_call_output","id":"fco_01a24c72","call_id":"call_H7B","output":"sample ran"}]}
        """;

    [Fact]
    public void Codex_second_turn_is_read_with_its_tool_output_and_client_metadata_kept_raw()
    {
        var result = ResponsesRequestReader.Read(Encoding.UTF8.GetBytes(SecondTurn));

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var request = result.Value;
        Assert.Equal("exec_command", Assert.IsType<FunctionTool>(request.Tools[0]).Name);
        Assert.Contains(request.Messages, m => m.Parts.OfType<ToolResultPart>().Any(p => p.ToolCallId == "call_H7B"));
        Assert.Equal("01a24c6a-54ec", ExtensionField.Find(request.Extensions, "client_metadata")!.Value.GetProperty("turn_id").GetString());
    }
}
