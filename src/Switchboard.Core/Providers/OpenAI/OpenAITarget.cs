using System.Net.Http.Headers;
using Switchboard.Config;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// OpenAI and every OpenAI-compatible server: <c>{base_url}/chat/completions</c> (Responses API:
/// <c>{base_url}/responses</c>) with a Bearer key.
/// </summary>
public sealed class OpenAITarget : OpenAIWireProtocol
{
    private readonly Uri _chat, _completions, _embeddings, _imageGenerations, _responses;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string _root;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Uri> _operations = new(StringComparer.Ordinal);

    public OpenAITarget(ProviderConfig config)
    {
        var root = _root = config.BaseUrl.AbsoluteUri.TrimEnd('/');
        _chat = new Uri(root + "/chat/completions");
        _completions = new Uri(root + "/completions");
        _embeddings = new Uri(root + "/embeddings");
        _imageGenerations = new Uri(root + "/images/generations");
        _responses = new Uri(root + "/responses");
        _authorization = string.IsNullOrEmpty(config.ApiKey) ? null : new AuthenticationHeaderValue("Bearer", config.ApiKey);
    }

    public override Uri ChatCompletions(string upstreamModel) => _chat;
    public override Uri Completions(string upstreamModel) => _completions;
    public override Uri Embeddings(string upstreamModel) => _embeddings;
    public override Uri ImageGenerations(string upstreamModel) => _imageGenerations;
    public override Uri Responses => _responses;

    // Built once per operation: a handful of fixed paths per provider.
    public override Uri Operation(string upstreamModel, string operation) =>
        _operations.GetOrAdd(operation, static (path, root) => new Uri(root + "/" + path), _root);

    public override void Authorize(HttpRequestHeaders headers)
    {
        if (_authorization is not null) headers.Authorization = _authorization;
    }
}
