namespace Switchboard.Providers.OpenAI;

/// <summary><c>type: openai</c>: OpenAI and every OpenAI-compatible server (Ollama, vLLM, LM Studio, Groq, ...).</summary>
public static class OpenAIProviderType
{
    public static ProviderTypeRegistration Registration { get; } = new()
    {
        Name = "openai",
        CreateProtocol = config => new OpenAITarget(config),
    };
}
