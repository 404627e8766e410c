using Switchboard.Providers.OpenAI.Responses.Stored;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses.Stored;

/// <summary>A <c>previous_response_id</c> spelled out for an upstream that cannot hold the conversation.</summary>
public sealed class ConversationRebuilderTests
{
    private static StoredResponse Turn(string id, string? previous, string inputItems, string output) => new()
    {
        Id = id,
        Owner = "key_a",
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.MaxValue,
        Provider = "p",
        UpstreamModel = "m",
        Native = false,
        PreviousResponseId = previous,
        InputItemsJson = inputItems,
        ResponseJson = $$"""{"id":"{{id}}","object":"response","instructions":"old rules","output":{{output}}}""",
    };

    [Fact]
    public void The_input_becomes_every_turn_oldest_first_then_the_request_s_own_and_nothing_else_changes()
    {
        var chain = new[]
        {
            Turn("resp_2", "resp_1", """[{"type":"function_call_output","call_id":"c1","output":"sunny"}]""",
                """[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"It is sunny."}]}]"""),
            Turn("resp_1", null, """[{"type":"message","role":"user","content":[{"type":"input_text","text":"Weather?"}]}]""",
                """[{"type":"function_call","call_id":"c1","name":"w","arguments":"{}"}]"""),
        };
        var body = """{"model":"x","previous_response_id":"resp_2","instructions":"new rules","input":"Thanks","stream":true}"""u8.ToArray();

        using var rebuilt = ConversationRebuilder.Rebuild(body, chain);

        var request = JsonDocument.Parse(rebuilt.Memory).RootElement;
        Assert.False(request.TryGetProperty("previous_response_id", out _));
        Assert.Equal(("x", "new rules", true), (request.GetProperty("model").GetString(), request.GetProperty("instructions").GetString(), request.GetProperty("stream").GetBoolean()));
        Assert.Equal(
            """[{"type":"message","role":"user","content":[{"type":"input_text","text":"Weather?"}]},""" +
            """{"type":"function_call","call_id":"c1","name":"w","arguments":"{}"},""" +
            """{"type":"function_call_output","call_id":"c1","output":"sunny"},""" +
            """{"type":"message","role":"assistant","content":[{"type":"output_text","text":"It is sunny."}]},""" +
            """{"type":"message","role":"user","content":[{"type":"input_text","text":"Thanks"}]}]""",
            request.GetProperty("input").GetRawText());
        // The rebuilt request is one the Responses reader takes.
        Assert.True(Switchboard.Providers.OpenAI.Responses.ResponsesRequestReader.Read(rebuilt.Span).IsSuccess);
    }

    [Fact]
    public void A_request_with_no_input_of_its_own_continues_with_the_stored_turns_alone()
    {
        var chain = new[] { Turn("resp_1", null, """[{"role":"user","content":"Hi"}]""", """[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello"}]}]""") };

        using var rebuilt = ConversationRebuilder.Rebuild("""{"previous_response_id":"resp_1","model":"x"}"""u8.ToArray(), chain);

        Assert.Equal(
            """{"model":"x","input":[{"role":"user","content":"Hi"},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello"}]}]}""",
            Encoding.UTF8.GetString(rebuilt.Span));
    }

    [Fact]
    public void A_background_request_is_rebuilt_without_background_and_any_other_without_it_is_left_as_sent()
    {
        var chain = new[] { Turn("resp_1", null, """[{"role":"user","content":"Hi"}]""", "[]") };
        var body = """{"model":"x","previous_response_id":"resp_1","background":true,"input":"More"}"""u8.ToArray();

        using var foreground = ConversationRebuilder.Rebuild(body, chain, inForeground: true);
        using var asSent = ConversationRebuilder.Rebuild(body, chain);

        Assert.False(JsonDocument.Parse(foreground.Memory).RootElement.TryGetProperty("background", out _));
        Assert.True(JsonDocument.Parse(asSent.Memory).RootElement.GetProperty("background").GetBoolean());
    }
}
