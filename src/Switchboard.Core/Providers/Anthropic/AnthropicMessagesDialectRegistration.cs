using Microsoft.Extensions.DependencyInjection;
using Switchboard.Dialects;
using Switchboard.Pipeline;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.Anthropic;

/// <summary>The Anthropic client dialect (Claude Code, the Anthropic SDKs): messages and their token count.</summary>
public static class AnthropicMessagesDialectRegistration
{
    public static readonly ProxyOperation Messages = new("messages", OpenAIRequestHead.Kind.Chat, AnthropicClientDialect.Instance, null);

    public static ClientDialectRegistration Registration { get; } = new()
    {
        Dialect = AnthropicClientDialect.Instance,
        Routes =
        [
            new ClientRoute("/messages/count_tokens", Endpoint: services => services.GetRequiredService<CountTokensHandler>().HandleAsync),
            new ClientRoute("/messages", Messages),
        ],
        // Any path naming /messages, mistakes such as /v1/v1/messages included, so Claude Code reports the real problem.
        ErrorPathMarker = "/messages",
        KeyHeaders = [new KeyHeader("x-api-key")],
        DoubledV1Fix = "remove the trailing /v1 from your base URL (ANTHROPIC_BASE_URL is the gateway's address without /v1, e.g. http://127.0.0.1:4000)",
        BaseUrlAdvice = "without a path (Anthropic clients add /v1 themselves).",
    };
}
