namespace Switchboard.Providers.Anthropic;

/// <summary><c>type: anthropic</c>: the Anthropic Messages API.</summary>
public static class AnthropicProviderType
{
    public static ProviderTypeRegistration Registration { get; } = new()
    {
        Name = "anthropic",
        // What to do with mid-conversation system messages (folded for the Claude models that refuse them).
        DeploymentSettings = ["system_messages"],
        CreateProtocol = config => new AnthropicProtocol(config),
    };
}
