using Switchboard.Dialects;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Core.Tests.Providers;

public sealed class ClientDialectsTests
{
    [Fact]
    public void Every_route_is_served_once_and_by_its_own_dialect()
    {
        var paths = ClientDialects.Routes.Select(r => r.Route.Path).ToList();

        Assert.Equal(["/models/{model}:streamGenerateContent", "/models/{model}:generateContent", "/models/{model}:countTokens", "/messages/count_tokens",
            "/audio/transcriptions", "/images/generations", "/audio/translations", "/chat/completions", "/images/edits", "/audio/speech", "/completions",
            "/moderations", "/embeddings", "/responses", "/messages"], paths);
        foreach (var (route, dialect) in ClientDialects.Routes)
        {
            // Exactly one of a proxied operation and an endpoint of its own.
            Assert.True(route.Operation is null != (route.Endpoint is null), route.Path);
            if (route.Operation is { } operation) Assert.Same(dialect.Dialect, operation.Dialect);
        }
    }

    [Theory]
    [InlineData("/v1/messages", "anthropic")]
    [InlineData("/v1/v1/messages/count_tokens", "anthropic")]
    [InlineData("/V1/MESSAGES", "anthropic")]
    [InlineData("/v1/chat/completions", "openai")]
    [InlineData("/v1/responses", "openai")]
    [InlineData("/nowhere", "openai")]
    [InlineData("/admin/messages", null)]
    [InlineData("/v1beta/models/x:embedContent", "gemini")]
    [InlineData("/v1/models/a/b:generateContent", "gemini")]
    [InlineData("/v1/models/x:streamGenerateContent", "gemini")]
    [InlineData("/v1/models/x:countTokens", "gemini")]
    [InlineData("/v1/models", "openai")]
    public void Errors_outside_handlers_take_the_shape_of_the_dialect_that_claims_the_path(string path, string? expected)
    {
        var dialect = ClientDialects.ForErrorsOn(path)?.Dialect;

        Assert.Same(expected switch
        {
            "anthropic" => AnthropicClientDialect.Instance,
            "gemini" => (Switchboard.Dialects.IClientDialect)Switchboard.Providers.Gemini.GeminiClientDialect.Generate,
            "openai" => (Switchboard.Dialects.IClientDialect)OpenAIChatClientDialect.Instance,
            _ => null,
        }, dialect);
    }

    [Fact]
    public void Keys_are_looked_for_in_every_dialects_headers_authorization_first()
    {
        Assert.Equal(["Authorization", "api-key", "x-goog-api-key", "x-api-key"], ClientDialects.KeyHeaders.Select(h => h.Name));
        Assert.True(ClientDialects.KeyHeaders[0].Bearer);
        Assert.DoesNotContain(ClientDialects.KeyHeaders[1..], h => h.Bearer);
    }
}
