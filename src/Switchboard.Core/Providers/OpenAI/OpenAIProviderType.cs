using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Providers.OpenAI;

/// <summary><c>type: openai</c>: OpenAI and every OpenAI-compatible server (Ollama, vLLM, LM Studio, Groq, ...).</summary>
public static class OpenAIProviderType
{
    public static ProviderTypeRegistration Registration { get; } = new()
    {
        Name = "openai",
        CreateProtocol = config => new OpenAITarget(config),
        // OpenAI itself has the Responses API; a compatible server may or may not, so it says so (responses: true).
        ResponsesByDefault = baseUrl => baseUrl.Host == "api.openai.com",
        CreateResponsesProtocol = config => new ResponsesUpstreamProtocol(new OpenAITarget(config)),
    };
}
