namespace Switchboard.Core.Tests.Providers.OpenAI.Requests;

/// <summary>Writing canonical requests that came from another dialect (built here the way the Anthropic
/// and Gemini readers will build them) as OpenAI requests.</summary>
public sealed class RequestWriterTests
{
    private const string Foreign = "anthropic-messages";

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string Write(ChatRequest request, string? model = null) =>
        Canon.Utf8(OpenAIChatRequestWriter.WriteToUtf8Bytes(request, model));

    [Fact]
    public void Anthropic_shaped_conversation_is_regrouped_for_OpenAI()
    {
        var request = new ChatRequest
        {
            Model = "claude-sonnet",
            SourceDialect = Foreign,
            Messages =
            [
                Message.FromText(ChatRole.System, "Be brief.") with { Form = ContentForm.Auto },
                new Message { Role = ChatRole.User, Parts = [new TextPart("Weather in Paris and Rome?")] },
                new Message
                {
                    Role = ChatRole.Assistant,
                    Parts =
                    [
                        new ThinkingPart("Two cities: two calls.", "sig-1"),
                        new TextPart("Checking."),
                        new ToolCallPart("toolu_1", "get_weather", """{"city":"Paris"}"""),
                        new ToolCallPart("toolu_2", "get_weather", """{"city":"Rome"}"""),
                    ],
                    Extensions = [new ExtensionField("anthropic_only", Json("1"))],
                },
                new Message
                {
                    Role = ChatRole.User,
                    Parts =
                    [
                        new ToolResultPart("toolu_1") { Content = [new TextPart("18C")] },
                        new ToolResultPart("toolu_2") { Content = [new TextPart("25C")], IsError = false },
                        new TextPart("And which is warmer?"),
                    ],
                },
            ],
            Tools =
            [
                new FunctionTool("get_weather") { Description = "Weather.", Parameters = Json("""{"type":"object"}""") },
                new ProviderTool(Foreign, "web_search_20250305", Json("""{"type":"web_search_20250305","name":"web_search"}""")),
            ],
            ToolChoice = ToolChoice.Required,
            MaxOutputTokens = 1024,
            Reasoning = new ReasoningOptions { BudgetTokens = 10000 },
            StopSequences = ["\n\nHuman:"],
            Stream = true,
            TopK = 5,
            Extensions = [new ExtensionField("anthropic_beta", Json("\"x\""))],
            Hints = new DialectHints { MaxTokensField = "max_tokens", StopAsString = true },
        };

        JsonSemantic.Equal("""
            {
              "model": "claude-sonnet-4-6",
              "messages": [
                { "role": "system", "content": "Be brief." },
                { "role": "user", "content": "Weather in Paris and Rome?" },
                {
                  "role": "assistant",
                  "content": "Checking.",
                  "thinking_blocks": [{ "type": "thinking", "thinking": "Two cities: two calls.", "signature": "sig-1" }],
                  "tool_calls": [
                    { "id": "toolu_1", "type": "function", "function": { "name": "get_weather", "arguments": "{\"city\":\"Paris\"}" } },
                    { "id": "toolu_2", "type": "function", "function": { "name": "get_weather", "arguments": "{\"city\":\"Rome\"}" } }
                  ]
                },
                { "role": "tool", "tool_call_id": "toolu_1", "content": "18C" },
                { "role": "tool", "tool_call_id": "toolu_2", "content": "25C" },
                { "role": "user", "content": "And which is warmer?" }
              ],
              "stream": true,
              "max_completion_tokens": 1024,
              "stop": ["\n\nHuman:"],
              "tools": [{ "type": "function", "function": { "name": "get_weather", "description": "Weather.", "parameters": { "type": "object" } } }],
              "tool_choice": "required",
              "reasoning_effort": "high"
            }
            """, Write(request, "claude-sonnet-4-6"));
    }

    [Fact]
    public void Top_k_goes_to_OpenAI_compatible_servers_only_from_OpenAI_clients()
    {
        var request = new ChatRequest { Model = "m", TopK = 5, Messages = [Message.FromText(ChatRole.User, "hi")] };
        Assert.Contains("\"top_k\":5", Write(request), StringComparison.Ordinal);
        Assert.DoesNotContain("top_k", Write(request with { SourceDialect = Foreign }), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_thinking_goes_out_as_reasoning_content_and_id_less_calls_get_ids()
    {
        var request = new ChatRequest
        {
            Model = "gemini-pro",
            SourceDialect = "gemini",
            Messages =
            [
                new Message { Role = ChatRole.User, Parts = [new TextPart("Look."), ImagePart.FromData("AAAA", "image/jpeg")] },
                new Message
                {
                    Role = ChatRole.Assistant,
                    Parts =
                    [
                        new ThinkingPart("Hmm."),
                        new ToolCallPart(null, "a", "{}") { Signature = "gsig" },
                        new ToolCallPart(null, "b", "{}"),
                    ],
                },
            ],
        };

        JsonSemantic.Equal("""
            {
              "model": "gemini-pro",
              "messages": [
                { "role": "user", "content": [
                  { "type": "text", "text": "Look." },
                  { "type": "image_url", "image_url": { "url": "data:image/jpeg;base64,AAAA" } } ] },
                { "role": "assistant", "content": null, "reasoning_content": "Hmm.", "tool_calls": [
                  { "id": "call_0", "type": "function", "function": { "name": "a", "arguments": "{}" },
                    "extra_content": { "google": { "thought_signature": "gsig" } } },
                  { "id": "call_1", "type": "function", "function": { "name": "b", "arguments": "{}" } } ] }
              ]
            }
            """, Write(request));
    }

    [Fact]
    public void Hints_choose_the_deprecated_max_tokens_for_servers_that_need_it()
    {
        var request = new ChatRequest
        {
            Model = "llama3",
            Messages = [Message.FromText(ChatRole.User, "hi")],
            MaxOutputTokens = 64,
            Hints = new DialectHints { MaxTokensField = OpenAIChatDialect.MaxTokens },
        };
        Assert.Contains("\"max_tokens\":64", Write(request), StringComparison.Ordinal);
        Assert.Contains("\"max_completion_tokens\":64", Write(request with { Hints = DialectHints.None }), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_is_written_as_providers_send_it()
    {
        var request = new ChatRequest { Model = "m", Messages = [Message.FromText(ChatRole.User, "I'm <fine> & “ok” ° 中文 😀")] };
        var written = Write(request);
        // Everything in the Basic Multilingual Plane goes out raw; System.Text.Json always escapes
        // characters beyond it (emoji) as surrogate pairs, which every JSON parser reads back the same.
        Assert.Contains("\"content\":\"I'm <fine> & “ok” ° 中文 \\uD83D\\uDE00\"", written, StringComparison.Ordinal);
        Assert.Equal("I'm <fine> & “ok” ° 中文 😀", Canon.Request(written).Messages[0].Parts.Cast<TextPart>().Single().Text);
    }

    [Fact]
    public void File_by_url_cannot_be_sent_and_says_so_as_a_request_error()
    {
        var request = new ChatRequest
        {
            Model = "m",
            Messages = [new Message { Role = ChatRole.User, Parts = [new FilePart { Url = "https://x/doc.pdf" }] }],
        };
        var error = OpenAIChatRequestWriter.TryWrite(request, new System.Buffers.ArrayBufferWriter<byte>());
        Assert.NotNull(error);
        Assert.Equal("messages", error.Param);
        Assert.Contains("document given by URL", error.Message, StringComparison.Ordinal);
    }
}
