using System.Net.Http.Headers;

namespace Switchboard.Providers;

/// <summary>
/// How to address one provider type that speaks the OpenAI wire format: its URLs and its auth header.
/// The body and the responses are the same for every such type, so only this differs.
/// </summary>
public interface IUpstreamTarget
{
    Uri ChatCompletions(string upstreamModel);
    Uri Completions(string upstreamModel);
    Uri Embeddings(string upstreamModel);
    /// <summary>Its Images API: <c>POST …/images/generations</c>.</summary>
    Uri ImageGenerations(string upstreamModel);
    /// <summary>
    /// Another OpenAI-only operation, by its path under the API root (<c>audio/speech</c>, <c>moderations</c>):
    /// <c>{base_url}/{operation}</c>; Azure: the deployment's <c>/openai/deployments/{model}/{operation}?api-version=</c>.
    /// </summary>
    Uri Operation(string upstreamModel, string operation);
    /// <summary>Its Responses API (<c>POST …/responses</c>); the body's <c>model</c> names the model (Azure: the deployment).</summary>
    Uri Responses { get; }
    /// <summary>Adds the provider's own credentials (never the client's).</summary>
    void Authorize(HttpRequestHeaders headers);
}
