using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Switchboard.Config;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.AzureOpenAI;

/// <summary>
/// Azure OpenAI: <c>{base_url}/openai/deployments/{deployment}/{operation}?api-version=...</c> with an
/// <c>api-key</c> header. The deployment's <c>model</c> in the config is the Azure deployment name.
/// The Responses API lives only on Azure's v1 API, <c>{base_url}/openai/v1/responses</c>, which takes no dated
/// <c>api-version</c> (Microsoft Learn, "Azure OpenAI Responses API" and "API version lifecycle"); the deployment
/// name goes in the body's <c>model</c> there.
/// </summary>
public sealed class AzureOpenAITarget(ProviderConfig config) : OpenAIWireProtocol
{
    private readonly string _root = config.BaseUrl.AbsoluteUri.TrimEnd('/');
    private readonly Uri _responses = new(config.BaseUrl.AbsoluteUri.TrimEnd('/') + "/openai/v1/responses");
    private readonly string _apiVersion = Uri.EscapeDataString(config.ApiVersion ?? AzureOpenAIProviderType.DefaultApiVersion);
    // URIs per (deployment, operation) are built once: deployments are few and fixed per config.
    private readonly ConcurrentDictionary<(string, string), Uri> _uris = new();

    public override Uri ChatCompletions(string upstreamModel) => Build(upstreamModel, "chat/completions");
    public override Uri Completions(string upstreamModel) => Build(upstreamModel, "completions");
    public override Uri Embeddings(string upstreamModel) => Build(upstreamModel, "embeddings");
    public override Uri ImageGenerations(string upstreamModel) => Build(upstreamModel, "images/generations");
    public override Uri Responses => _responses;
    public override Uri Operation(string upstreamModel, string operation) => Build(upstreamModel, operation);

    public override void Authorize(HttpRequestHeaders headers)
    {
        if (!string.IsNullOrEmpty(config.ApiKey)) headers.TryAddWithoutValidation("api-key", config.ApiKey);
    }

    private Uri Build(string deployment, string operation) =>
        _uris.GetOrAdd((deployment, operation), key =>
            new Uri($"{_root}/openai/deployments/{Uri.EscapeDataString(key.Item1)}/{key.Item2}?api-version={_apiVersion}"));
}
