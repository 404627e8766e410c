using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Providers.AzureOpenAI;

/// <summary><c>type: azure-openai</c>: Azure OpenAI (deployment URLs, <c>api-key</c> header, <c>api-version</c>).</summary>
public static class AzureOpenAIProviderType
{
    /// <summary>Azure's API version when none is given: the current GA version at the time of writing.</summary>
    public const string DefaultApiVersion = "2024-10-21";

    public static ProviderTypeRegistration Registration { get; } = new()
    {
        Name = "azure-openai",
        DefaultApiVersion = DefaultApiVersion,
        CreateProtocol = config => new AzureOpenAITarget(config),
        // Every Azure OpenAI resource has the Responses API (on its v1 API).
        ResponsesByDefault = _ => true,
        CreateResponsesProtocol = config => new ResponsesUpstreamProtocol(new AzureOpenAITarget(config)),
    };
}
