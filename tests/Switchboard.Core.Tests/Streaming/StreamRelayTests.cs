using System.Text;
using Microsoft.AspNetCore.Http;
using Switchboard.Config;
using Switchboard.Dialects;
using Switchboard.Pipeline;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.OpenAI;
using Switchboard.Providers.OpenAI.Responses;
using Switchboard.Streaming;
using Switchboard.Translation.Canonical;

namespace Switchboard.Core.Tests.Streaming;

/// <summary>The one stream loop with each of its strategies, on recorded-shape upstream streams.</summary>
public sealed class StreamRelayTests : IDisposable
{
    private const string ProviderKey = "sk-proj-ABCDEFGHIJKLMNOP1234";
    private readonly UpstreamProvider _openAI = new(new ProviderConfig
    {
        Name = "openai", Type = "openai", BaseUrl = new Uri("http://127.0.0.1:1/v1"), ApiKey = ProviderKey,
    });
    private readonly UpstreamProvider _anthropic = new(new ProviderConfig
    {
        Name = "anthropic", Type = "anthropic", BaseUrl = new Uri("http://127.0.0.1:1"), ApiKey = ProviderKey,
    });

    public void Dispose()
    {
        _openAI.Dispose();
        _anthropic.Dispose();
    }

    private const string Hello = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
    private const string Finish = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    private const string UsageChunk = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}\n\n";
    private const string Done = "data: [DONE]\n\n";

    private const string AnthropicStream =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: ping\ndata: {\"type\":\"ping\"}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n";
    private const string AnthropicStop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private static async Task<(AttemptOutcome Outcome, string Client, int Status)> RelayAsync<TStrategy>(string upstream,
        UpstreamProvider provider, IClientDialect dialect, TStrategy strategy) where TStrategy : struct, IStreamStrategy
    {
        var context = new DefaultHttpContext();
        var client = new MemoryStream();
        context.Response.Body = client;
        using var response = new HttpResponseMessage { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(upstream))) };
        var timeouts = new Switchboard.Routing.AttemptTimeouts(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        using var clock = AttemptClock.Start(timeouts, context.RequestAborted);
        var outcome = await StreamRelay.RelayAsync(context, response, provider, dialect, clock, strategy);
        await context.Response.BodyWriter.FlushAsync();
        return (outcome, Encoding.UTF8.GetString(client.ToArray()), context.Response.StatusCode);
    }

    private Task<(AttemptOutcome Outcome, string Client, int Status)> ForwardOpenAI(string upstream, bool clientWantsUsage = false) =>
        RelayAsync(upstream, _openAI, OpenAIChatClientDialect.Instance, new ForwardAndScanUsage(_openAI, clientWantsUsage));

    private Task<(AttemptOutcome Outcome, string Client, int Status)> ForwardAnthropic(string upstream) =>
        RelayAsync(upstream, _anthropic, AnthropicClientDialect.Instance,
            new ForwardAndObserve(_anthropic, _anthropic.Protocol!.CreateStreamReader(null)));

    [Fact]
    public async Task OpenAI_events_go_through_byte_for_byte_and_the_usage_chunk_the_client_never_asked_for_is_hidden()
    {
        var (outcome, client, status) = await ForwardOpenAI(": keep-alive\n\n" + Hello + Finish + UsageChunk + Done);

        Assert.Equal(AttemptResult.Completed, outcome.Result);
        Assert.Equal(200, status);
        Assert.Equal(": keep-alive\n\n" + Hello + Finish + Done, client);
        Assert.True(outcome.UsageReported);
        Assert.Equal((7, 3), (outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens));
        Assert.NotNull(outcome.FirstByteTimestamp);
    }

    [Fact]
    public async Task OpenAI_usage_chunk_reaches_a_client_that_asked_for_it()
    {
        var (outcome, client, _) = await ForwardOpenAI(Hello + Finish + UsageChunk + Done, clientWantsUsage: true);

        Assert.Equal(Hello + Finish + UsageChunk + Done, client);
        Assert.Equal(10, outcome.Usage.TotalTokens);
    }

    [Fact]
    public async Task OpenAI_stream_that_ends_after_its_finish_chunk_without_done_is_whole_and_gets_its_done()
    {
        var (outcome, client, _) = await ForwardOpenAI(Hello + Finish);

        Assert.Equal(AttemptResult.Completed, outcome.Result);
        Assert.Equal(Hello + Finish + Done, client);
    }

    [Fact]
    public async Task OpenAI_stream_cut_after_the_start_ends_with_an_error_event_and_no_done()
    {
        var (outcome, client, _) = await ForwardOpenAI(Hello);

        Assert.Equal(AttemptResult.FailedAfterStart, outcome.Result);
        Assert.Equal("upstream_stream_truncated", outcome.Error!.Code);
        Assert.StartsWith(Hello + "data: {\"error\":", client);
        Assert.Contains("upstream_stream_truncated", client);
        Assert.DoesNotContain("[DONE]", client);
    }

    [Fact]
    public async Task Garbage_before_anything_was_sent_sends_nothing_so_another_deployment_can_answer()
    {
        var (outcome, client, status) = await ForwardOpenAI("data: {\"choices\":[{\"delta\"\n\n" + Hello + Done);

        Assert.Equal(AttemptResult.FailedBeforeStart, outcome.Result);
        Assert.Equal("upstream_invalid_response", outcome.Error!.Code);
        Assert.Equal("", client);
        Assert.Equal(200, status); // DefaultHttpContext's default: the relay never started a response
        Assert.Null(outcome.FirstByteTimestamp);
    }

    [Fact]
    public async Task Garbage_after_the_start_is_not_relayed_and_the_client_gets_an_error_event()
    {
        var (outcome, client, _) = await ForwardOpenAI(Hello + "data: not json\n\n" + Done);

        Assert.Equal(AttemptResult.FailedAfterStart, outcome.Result);
        Assert.DoesNotContain("not json", client);
        Assert.Contains("upstream_invalid_response", client);
    }

    [Fact]
    public async Task An_upstream_error_event_after_the_start_is_relayed_once_in_its_own_shape_without_the_key()
    {
        var error = "data: {\"error\":{\"message\":\"bad key " + ProviderKey + "\",\"type\":\"server_error\",\"code\":\"boom\"}}\n\n";
        var (outcome, client, _) = await ForwardOpenAI(Hello + error + Done);

        Assert.Equal(AttemptResult.FailedAfterStart, outcome.Result);
        Assert.Equal("boom", outcome.Error!.Code);
        Assert.DoesNotContain(ProviderKey, client);
        Assert.DoesNotContain(ProviderKey, outcome.Error.Message);
        Assert.Single(client.Split("\"error\"").Skip(1));
        Assert.DoesNotContain("[DONE]", client);
    }

    [Fact]
    public async Task Anthropic_events_go_through_byte_for_byte_while_the_stream_reader_takes_the_usage()
    {
        var (outcome, client, _) = await ForwardAnthropic(": comment\n\n" + AnthropicStream + AnthropicStop);

        Assert.Equal(AttemptResult.Completed, outcome.Result);
        Assert.Equal(": comment\n\n" + AnthropicStream + AnthropicStop, client);
        Assert.Equal((10, 5), (outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens));
    }

    [Fact]
    public async Task Anthropic_stream_cut_before_message_stop_ends_with_an_anthropic_error_event()
    {
        var (outcome, client, _) = await ForwardAnthropic(AnthropicStream);

        Assert.Equal(AttemptResult.FailedAfterStart, outcome.Result);
        Assert.StartsWith(AnthropicStream + "event: error\ndata: ", client);
        Assert.Contains("upstream_stream_truncated", outcome.Error!.Code);
    }

    [Fact]
    public async Task Anthropic_error_event_after_the_start_is_relayed_scrubbed_with_its_event_name()
    {
        var error = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"key " + ProviderKey + "\"}}\n\n";
        var (outcome, client, _) = await ForwardAnthropic(AnthropicStream + error + AnthropicStop);

        Assert.Equal(AttemptResult.FailedAfterStart, outcome.Result);
        Assert.EndsWith("\n\n", client);
        Assert.Single(client.Split("event: error").Skip(1));
        Assert.DoesNotContain(ProviderKey, client);
        Assert.DoesNotContain("message_stop", client);
    }

    [Fact]
    public async Task Translated_stream_writes_the_client_dialect_and_its_own_end()
    {
        var request = new ChatRequest { Model = "m", Stream = true };
        var (outcome, client, _) = await RelayAsync(Hello + Finish + UsageChunk + Done, _openAI, AnthropicClientDialect.Instance,
            new TranslateEvents(_openAI, _openAI.Protocol!.CreateStreamReader(request), AnthropicClientDialect.Instance.CreateStreamWriter(request), "gpt-4o-mini"));

        Assert.Equal(AttemptResult.Completed, outcome.Result);
        Assert.StartsWith("event: message_start\n", client);
        Assert.Contains("\"text\":\"Hi\"", client);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", client);
        Assert.DoesNotContain("[DONE]", client);
        Assert.Equal((7, 3), (outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens));
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("responses")]
    public async Task Translated_stream_from_an_upstream_naming_no_model_names_the_model_it_was_asked_for(string client)
    {
        // Hello and Finish carry no "model" (as some OpenAI-compatible servers send): the client sees the upstream id
        // the gateway asked for, not "" and not the alias "m" the client asked for.
        var request = new ChatRequest { Model = "m", Stream = true };
        IClientDialect dialect = client == "anthropic" ? AnthropicClientDialect.Instance : ResponsesClientDialect.Instance;
        var (outcome, output, _) = await RelayAsync(Hello + Finish + UsageChunk + Done, _openAI, dialect,
            new TranslateEvents(_openAI, _openAI.Protocol!.CreateStreamReader(request), dialect.CreateStreamWriter(request), "gpt-4o-mini"));

        Assert.Equal(AttemptResult.Completed, outcome.Result);
        Assert.Contains("\"model\":\"gpt-4o-mini\"", output);
        Assert.DoesNotContain("\"model\":\"\"", output);
        Assert.DoesNotContain("\"model\":\"m\"", output);
    }

    [Fact]
    public async Task Translated_stream_cut_after_the_start_ends_with_the_client_dialects_error_frame()
    {
        var request = new ChatRequest { Model = "m", Stream = true };
        var (outcome, client, _) = await RelayAsync(Hello, _openAI, AnthropicClientDialect.Instance,
            new TranslateEvents(_openAI, _openAI.Protocol!.CreateStreamReader(request), AnthropicClientDialect.Instance.CreateStreamWriter(request), "gpt-4o-mini"));

        Assert.Equal(AttemptResult.FailedAfterStart, outcome.Result);
        Assert.Contains("event: error\ndata: ", client);
        Assert.DoesNotContain("message_stop", client);
    }
}
